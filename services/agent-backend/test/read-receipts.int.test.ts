import { randomUUID } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundText } from './support/events.js';
import { createHarness, type Harness } from './support/harness.js';
import { connectOperator, frame, type OperatorClient } from './support/operator-client.js';
import { readTopic, type TopicReader } from './support/topic-reader.js';

let harness: Harness;
let operator: OperatorClient;
let out: TopicReader;
const waID = '5511955550001';

beforeAll(async () => {
  harness = await createHarness();
  const { url } = await harness.startInstance();
  operator = await connectOperator(url);
  out = await readTopic(harness.kafka, harness.config.topics.out);
});

afterAll(async () => {
  operator?.close();
  await out?.close();
  await harness?.close();
});

async function receive(text: string) {
  const event = inboundText(waID, text);
  await harness.produceInbound(event);
  await eventually(
    async () =>
      (await harness.db.collection('messages').countDocuments({ _id: event.event_id } as never)) === 1,
  );
  return event.wamid;
}

const receiptsFor = (wamid: string) =>
  (out.values as AgentOutboundMessage[]).filter(
    (value) => value.message_type === 'mark_as_read' && value.context_message_id === wamid,
  );

/** -out is keyed by the user: once a later reply to the same user is there, an earlier record would be too. */
async function flush() {
  const key = randomUUID();
  await operator.request(
    frame({ type: 'send_reply', wa_id: waID, idempotency_key: key, reply: { kind: 'text', text: 'ok' } }),
  );
  await out.waitFor<AgentOutboundMessage>((value) => value.idempotency_key === key);
}

describe('read receipts', () => {
  it('sends mark_as_read for the newest inbound message once, however often the operator marks it read', async () => {
    const older = await receive('first');
    const newest = await receive('second');
    expect(await operator.request(frame({ type: 'mark_read', wa_id: waID }))).toMatchObject({
      type: 'read_marked',
    });
    const receipt = await out.waitFor<AgentOutboundMessage>(
      (value) => value.message_type === 'mark_as_read' && value.context_message_id === newest,
    );
    expect(receipt).toEqual({
      v: 1,
      waID,
      message_type: 'mark_as_read',
      context_message_id: newest,
      idempotency_key: `read:${newest}`,
    });

    await operator.request(frame({ type: 'mark_read', wa_id: waID }));
    await flush();
    expect(receiptsFor(newest)).toHaveLength(1);
    expect(receiptsFor(older)).toHaveLength(0); // WhatsApp marks the earlier ones with the newest
  });

  it('sends a new receipt when a newer message has arrived, and none for a conversation without inbound', async () => {
    const latest = await receive('third');
    await operator.request(frame({ type: 'mark_read', wa_id: waID }));
    await out.waitFor<AgentOutboundMessage>((value) => value.context_message_id === latest);
    expect(receiptsFor(latest)).toHaveLength(1);
    const stored = await harness.db.collection('messages').findOne({ _id: latest } as never);
    expect(stored?.read_receipt_at).toBeInstanceOf(Date);

    const history = await operator.request(frame({ type: 'get_history', wa_id: waID }));
    expect(JSON.stringify(history)).not.toContain('read_receipt_at'); // internal, not in the protocol
    expect(await operator.request(frame({ type: 'mark_read', wa_id: '5511955559999' }))).toMatchObject({
      type: 'read_marked',
    });
  });
});
