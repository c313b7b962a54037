import { randomUUID } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import type { ServerFrame } from '@wa-broker/shared/operator-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundText } from './support/events.js';
import { createHarness, type Harness } from './support/harness.js';
import { connectOperator, frame, type OperatorClient } from './support/operator-client.js';
import { addOperator } from './support/team.js';
import { readTopic, type TopicReader } from './support/topic-reader.js';

let harness: Harness;
let ana: OperatorClient;
let benOnB: OperatorClient;
let out: TopicReader;
const waID = '5511991000001';

beforeAll(async () => {
  harness = await createHarness();
  const a = await harness.startInstance();
  const b = await harness.startInstance();
  ana = await connectOperator(a.url, { cookie: (await addOperator(a.url, 'Ana')).cookie });
  benOnB = await connectOperator(b.url, { cookie: (await addOperator(a.url, 'Ben')).cookie });
  out = await readTopic(harness.kafka, harness.config.topics.out);
  await harness.produceInbound(inboundText(waID, 'I want a refund'));
  await eventually(
    async () => (await harness.db.collection('conversations').countDocuments({ _id: waID } as never)) === 1,
  );
});

afterAll(async () => {
  ana?.close();
  benOnB?.close();
  await out?.close();
  await harness?.close();
});

describe('internal notes', () => {
  it('are shown to operators on every instance and never reach -out', async () => {
    const secret = `note-${randomUUID()}`;
    const added = await ana.request(
      frame({ type: 'add_note', wa_id: waID, text: `VIP, be gentle ${secret}` }),
    );
    expect(added).toMatchObject({
      type: 'note',
      note: { wa_id: waID, author_name: 'Ana', text: `VIP, be gentle ${secret}` },
    });
    await benOnB.waitForFrame((f) => f.type === 'note' && f.note.text.includes(secret));
    await ana.request(frame({ type: 'add_note', wa_id: waID, text: `second ${secret}` }));
    const listed = await benOnB.request(frame({ type: 'list_notes', wa_id: waID }));
    expect(listed.type === 'notes' && listed.notes.map((n) => n.text)).toEqual([
      `VIP, be gentle ${secret}`,
      `second ${secret}`,
    ]);
    const paged = await benOnB.request(frame({ type: 'list_notes', wa_id: waID, limit: 1 }));
    expect(paged.type === 'notes' && paged.next_before).toBeTruthy();

    // A reply after the notes: -out is keyed by the user, so a note published before it would be read first.
    const key = randomUUID();
    await ana.request(
      frame({ type: 'send_reply', wa_id: waID, idempotency_key: key, reply: { kind: 'text', text: 'Sure' } }),
    );
    await out.waitFor<AgentOutboundMessage>((value) => value.idempotency_key === key);
    expect(JSON.stringify(out.values)).not.toContain(secret);
    const history = await ana.request(frame({ type: 'get_history', wa_id: waID }));
    expect(JSON.stringify(history)).not.toContain(secret); // notes are not bubbles either
  });

  it('are refused for an unknown conversation', async () => {
    expect(await ana.request(frame({ type: 'add_note', wa_id: '5511000000000', text: 'x' }))).toMatchObject({
      type: 'error',
      code: 'not_found',
    });
  });
});

describe('canned replies', () => {
  it('are shared: created, listed, updated and deleted, each change pushed to every instance', async () => {
    const created = await ana.request(
      frame({ type: 'create_canned_reply', shortcut: '/refund', text: 'Refunds take 5 days.' }),
    );
    expect(created).toMatchObject({ type: 'canned_reply', canned_reply: { shortcut: '/refund' } });
    const id = created.type === 'canned_reply' ? created.canned_reply.id : '';
    await benOnB.waitForFrame((f) => f.type === 'canned_reply' && f.canned_reply.id === id);
    expect(
      await benOnB.request(frame({ type: 'create_canned_reply', shortcut: '/refund', text: 'again' })),
    ).toMatchObject({
      code: 'conflict',
    });
    const updated = await benOnB.request(
      frame({ type: 'update_canned_reply', id, text: 'Refunds take 3 days.' }),
    );
    expect(updated).toMatchObject({
      canned_reply: { id, shortcut: '/refund', text: 'Refunds take 3 days.' },
    });
    await ana.waitForFrame(
      (f) => f.type === 'canned_reply' && f.canned_reply.text === 'Refunds take 3 days.',
    );
    const list = await ana.request(frame({ type: 'list_canned_replies' }));
    expect(list.type === 'canned_replies' && list.canned_replies.map((r) => r.shortcut)).toEqual(['/refund']);
    expect(await ana.request(frame({ type: 'delete_canned_reply', id }))).toMatchObject({
      type: 'canned_reply_deleted',
      id,
    });
    await benOnB.waitForFrame((f: ServerFrame) => f.type === 'canned_reply_deleted' && f.id === id);
    expect(await ana.request(frame({ type: 'delete_canned_reply', id }))).toMatchObject({
      code: 'not_found',
    });
  });
});
