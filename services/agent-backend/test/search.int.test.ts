import { eventually } from '@wa-broker/infra/poll';
import type { ServerFrameOf } from '@wa-broker/shared/operator-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundText } from './support/events.js';
import { createHarness, type Harness } from './support/harness.js';
import { connectOperator, frame, type OperatorClient } from './support/operator-client.js';

let harness: Harness;
let operator: OperatorClient;

const at = (minutes: number) => new Date(Date.now() - (100 - minutes) * 60_000).toISOString();

beforeAll(async () => {
  harness = await createHarness();
  const { url } = await harness.startInstance();
  operator = await connectOperator(url);
  // Five conversations mentioning a parcel, at increasing times, one by name only, one by username only.
  const events = [
    inboundText('5511992000001', 'Where is my PARCEL?', { timestamp: at(1) }),
    inboundText('5511992000002', 'the parcel came broken', { timestamp: at(2) }),
    inboundText('5511992000003', 'hello', {
      timestamp: at(3),
      user: { wa_id: '5511992000003', name: 'Parcel Pete' },
    }),
    inboundText('5511992000004', 'my parcel.is late (again)', { timestamp: at(4) }),
    inboundText('US.1234567890', 'hi', {
      timestamp: at(5),
      user: { user_id: 'US.1234567890', username: 'parcel_fan', name: 'Fan' },
    }),
    inboundText('5511992000006', 'nothing to see', { timestamp: at(6) }),
  ];
  for (const event of events) await harness.produceInbound(event);
  await eventually(
    async () => (await harness.db.collection('messages').countDocuments({})) === events.length,
  );
  // An old message in a conversation whose latest text says nothing of it.
  await harness.produceInbound(inboundText('5511992000006', 'ok thanks', { timestamp: at(7) }));
  await eventually(
    async () => (await harness.db.collection('messages').countDocuments({})) === events.length + 1,
  );
});

afterAll(async () => {
  operator?.close();
  await harness?.close();
});

async function search(query: string, limit?: number, cursor?: string) {
  return (await operator.request(
    frame({ type: 'search', query, ...(limit ? { limit } : {}), ...(cursor ? { cursor } : {}) }),
  )) as ServerFrameOf<'search_results'>;
}

describe('search', () => {
  it('finds conversations by message text, name or username, in any case, newest first, paged by cursor', async () => {
    const first = await search('parcel', 2);
    expect(first.results.map((r) => r.conversation.wa_id)).toEqual(['US.1234567890', '5511992000004']);
    expect(first.results[0]).toMatchObject({ matched: 'username', snippet: 'parcel_fan' });
    expect(first.results[1]).toMatchObject({ matched: 'message', snippet: 'my parcel.is late (again)' });
    expect(first.next_cursor).toBeTruthy();
    const second = await search('parcel', 2, first.next_cursor ?? undefined);
    expect(second.results.map((r) => [r.conversation.wa_id, r.matched])).toEqual([
      ['5511992000003', 'name'],
      ['5511992000002', 'message'],
    ]);
    const third = await search('parcel', 2, second.next_cursor ?? undefined);
    expect(third.results.map((r) => r.conversation.wa_id)).toEqual(['5511992000001']);
    expect(third.next_cursor).toBeNull();
  });

  it('finds a word of an old message, by phone digits, and takes the query literally', async () => {
    const old = await search('NOTHING TO');
    expect(old.results).toHaveLength(1);
    expect(old.results[0]).toMatchObject({
      matched: 'message',
      snippet: 'nothing to see',
      conversation: { wa_id: '5511992000006' },
    });
    const byPhone = await search('+55 11 99200-0002');
    expect(byPhone.results.map((r) => [r.conversation.wa_id, r.matched])).toEqual([
      ['5511992000002', 'phone'],
    ]);
    expect((await search('parcel.is')).results).toHaveLength(1);
    expect((await search('.*')).results).toHaveLength(0);
  });
});
