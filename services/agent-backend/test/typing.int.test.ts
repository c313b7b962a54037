import { randomUUID } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundText } from './support/events.js';
import { createHarness, type Harness } from './support/harness.js';
import { connectOperator, frame, type OperatorClient } from './support/operator-client.js';
import { addOperator } from './support/team.js';
import { readTopic, type TopicReader } from './support/topic-reader.js';

let harness: Harness;
let ana: OperatorClient;
let ben: OperatorClient;
let out: TopicReader;
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);

beforeAll(async () => {
  harness = await createHarness();
  const { url } = await harness.startInstance({ now: clock });
  ana = await connectOperator(url, { cookie: (await addOperator(url, 'Ana')).cookie });
  ben = await connectOperator(url, { cookie: (await addOperator(url, 'Ben')).cookie });
  out = await readTopic(harness.kafka, harness.config.topics.out);
});

afterAll(async () => {
  ana?.close();
  ben?.close();
  await out?.close();
  await harness?.close();
});

async function receive(waID: string, text: string, overrides = {}) {
  const event = inboundText(waID, text, overrides);
  await harness.produceInbound(event);
  await eventually(
    async () =>
      (await harness.db.collection('messages').countDocuments({ _id: event.event_id } as never)) === 1,
  );
  return event.wamid;
}

const typingsFor = (waID: string) =>
  (out.values as AgentOutboundMessage[]).filter(
    (value) => value.waID === waID && value.typing_indicator === true,
  );

/** -out is keyed by the user: once a later reply to them is there, an earlier typing indicator would be too. */
async function flush(waID: string) {
  const key = randomUUID();
  await ana.request(
    frame({ type: 'send_reply', wa_id: waID, idempotency_key: key, reply: { kind: 'text', text: 'ok' } }),
  );
  await out.waitFor<AgentOutboundMessage>((value) => value.idempotency_key === key);
}

describe('typing indicator', () => {
  it('publishes one typing indicator for the latest inbound message per 25 s, whoever types', async () => {
    const waID = '5511990000001';
    await receive(waID, 'first');
    const latest = await receive(waID, 'where is my order?');
    expect(await ana.request(frame({ type: 'typing', wa_id: waID }))).toMatchObject({
      type: 'typing_indicator',
      result: 'sent',
    });
    const published = await out.waitFor<AgentOutboundMessage>(
      (v) => v.waID === waID && v.typing_indicator === true,
    );
    expect(published).toMatchObject({
      message_type: 'mark_as_read',
      context_message_id: latest,
      typing_indicator: true,
    });
    await ben.waitForFrame((f) => f.type === 'operator_typing' && f.wa_id === waID);

    offsetMs = 10_000;
    expect(await ben.request(frame({ type: 'typing', wa_id: waID }))).toMatchObject({ result: 'throttled' });
    await flush(waID);
    expect(typingsFor(waID)).toHaveLength(1);

    offsetMs = 26_000;
    expect(await ana.request(frame({ type: 'typing', wa_id: waID }))).toMatchObject({ result: 'sent' });
    await eventually(() => typingsFor(waID).length === 2);
    offsetMs = 0;
  });

  it('publishes nothing once the 24 h window has closed', async () => {
    const waID = '5511990000002';
    const past = new Date(Date.now() - 25 * 3600_000).toISOString();
    await receive(waID, 'old message', {
      timestamp: past,
      window_expires_at: new Date(Date.now() - 3600_000).toISOString(),
    });
    expect(await ana.request(frame({ type: 'typing', wa_id: waID }))).toMatchObject({
      result: 'window_closed',
    });
    // The user writes again (window open) so that a text reply can flush -out behind anything published before.
    await harness.produceInbound(
      inboundText(waID, 'new', { window_expires_at: new Date(Date.now() + 3600_000).toISOString() }),
    );
    await eventually(async () => {
      const c = await harness.db.collection('conversations').findOne({ _id: waID } as never);
      return ((c?.window_expires_at as Date | undefined)?.getTime() ?? 0) > Date.now();
    });
    await flush(waID);
    expect(typingsFor(waID)).toHaveLength(0);
  });
});
