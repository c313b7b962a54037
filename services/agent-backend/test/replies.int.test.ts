import { randomUUID } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import type { ClientFrame, ServerFrameOf } from '@wa-broker/shared/operator-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundText, statusEvent } from './support/events.js';
import { createHarness, type Harness } from './support/harness.js';
import { connectOperator, frame, type OperatorClient } from './support/operator-client.js';
import { readTopic, type TopicReader } from './support/topic-reader.js';

let harness: Harness;
let operator: OperatorClient;
let out: TopicReader;
const waID = '5511988880001';

beforeAll(async () => {
  harness = await createHarness();
  const { url } = await harness.startInstance();
  operator = await connectOperator(url);
  out = await readTopic(harness.kafka, harness.config.topics.out);
  await harness.produceInbound(inboundText(waID, 'Hi, can you help?'));
  await eventually(() => isStored('conversations', waID));
});

afterAll(async () => {
  operator?.close();
  await out?.close();
  await harness?.close();
});

const storedStatus = async (id: string) =>
  (await harness.db.collection('messages').findOne({ _id: id } as never))?.status as string | undefined;
const isStored = async (collection: 'conversations' | 'messages', id: string) =>
  (await harness.db.collection(collection).countDocuments({ _id: id } as never)) === 1;

type Reply = Extract<ClientFrame, { type: 'send_reply' }>['reply'];
/** The operator answers `to` with `reply` under `key`; resolves with the server's answer. */
const sendReply = (reply: Reply, key = randomUUID(), to = waID) =>
  operator.request(frame({ type: 'send_reply', wa_id: to, idempotency_key: key, reply }));

describe('replies', () => {
  it('publishes a text reply on -out with v 1 and its idempotency key, stored as pending', async () => {
    const key = randomUUID();
    const answer = (await sendReply({ kind: 'text', text: 'Sure!' }, key)) as ServerFrameOf<'reply_accepted'>;
    expect(answer.type).toBe('reply_accepted');
    expect(answer.message).toMatchObject({ id: key, direction: 'out', status: 'pending', text: 'Sure!' });

    const published = await out.waitFor<AgentOutboundMessage>((value) => value.idempotency_key === key);
    expect(published).toEqual({
      v: 1,
      waID,
      message_type: 'text',
      idempotency_key: key,
      origin: 'operator',
      text: 'Sure!',
    });
    expect(await storedStatus(key)).toBe('pending');
  });

  it('publishes list and button builders in the -out shape', async () => {
    const listKey = randomUUID();
    await sendReply(
      {
        kind: 'list',
        body: 'Pick a plan',
        button: 'Plans',
        sections: [{ title: 'Plans', rows: [{ id: 'basic', title: 'Basic' }] }],
      },
      listKey,
    );
    const list = await out.waitFor<AgentOutboundMessage>((value) => value.idempotency_key === listKey);
    expect(list).toMatchObject({
      message_type: 'list',
      text: 'Pick a plan',
      list_title: 'Plans',
      list_body: 'Plans',
    });
    expect(list.list_items).toEqual([{ id: 'basic', title: 'Basic' }]);

    const buttonsKey = randomUUID();
    await sendReply({ kind: 'buttons', body: 'OK?', buttons: [{ id: 'yes', title: 'Yes' }] }, buttonsKey);
    const buttons = await out.waitFor<AgentOutboundMessage>((value) => value.idempotency_key === buttonsKey);
    expect(buttons).toMatchObject({
      message_type: 'buttons',
      text: 'OK?',
      buttons: [{ id: 'yes', title: 'Yes' }],
    });
  });

  it('moves a reply forward with statuses from -in and never backwards', async () => {
    const key = randomUUID();
    const wamid = `wamid.${randomUUID()}`;
    await sendReply({ kind: 'text', text: 'Tracking' }, key);
    await harness.produceInbound(statusEvent(waID, 'sent', { wamid, idempotency_key: key }));
    await harness.produceInbound(statusEvent(waID, 'read', { wamid, idempotency_key: key }));
    await harness.produceInbound(statusEvent(waID, 'delivered', { wamid })); // late, matched by wamid only
    const marker = inboundText(waID, 'marker');
    await harness.produceInbound(marker);
    await eventually(() => isStored('messages', marker.event_id));

    expect(await storedStatus(key)).toBe('read');
    const pushed = await operator.waitForFrame(
      (f) => f.type === 'status' && f.status === 'read' && f.message_id === key,
    );
    expect(pushed).toMatchObject({ wamid });
  });

  it('marks a reply failed with Meta’s reason in plain words', async () => {
    const key = randomUUID();
    const wamid = `wamid.${randomUUID()}`;
    await sendReply({ kind: 'text', text: 'Too late?' }, key);
    await harness.produceInbound(
      statusEvent(waID, 'failed', { wamid, idempotency_key: key }, [
        { code: 131047, title: 'Re-engagement message' },
      ]),
    );
    await eventually(async () => (await storedStatus(key)) === 'failed');
    const stored = await harness.db.collection('messages').findOne({ _id: key } as never);
    expect(stored?.error).toMatchObject({ code: 'delivery_failed', meta: { code: 131047 } });
    expect(String(stored?.error?.text)).toContain('24 hours');
  });

  it('refuses free-form text once the window has closed, but lets a template through', async () => {
    const closedWaID = '5511988880002';
    await harness.produceInbound(
      inboundText(closedWaID, 'old message', {
        window_expires_at: new Date(Date.now() - 1000).toISOString(),
      }),
    );
    await eventually(() => isStored('conversations', closedWaID));
    const refused = await sendReply({ kind: 'text', text: 'hi' }, randomUUID(), closedWaID);
    expect(refused).toMatchObject({ type: 'error', code: 'window_closed' });

    const key = randomUUID();
    const accepted = await sendReply(
      { kind: 'template', name: 'follow_up', language: 'en_US', body_parameters: ['Maria'] },
      key,
      closedWaID,
    );
    expect(accepted.type).toBe('reply_accepted');
    const published = await out.waitFor<AgentOutboundMessage>((value) => value.idempotency_key === key);
    expect(published.template).toEqual({
      name: 'follow_up',
      language: 'en_US',
      components: [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] }],
    });
  });

  it('accepts a reply sent as soon as the message is pushed, before the store group wrote the conversation', async () => {
    // Push and store are two consumer groups: the operator can answer what was pushed before it is in Mongo.
    // The store's lag is played exactly: the stored conversation is taken away, and put back 500 ms after the reply.
    const newcomer = '5511988880003';
    await harness.produceInbound(inboundText(newcomer, 'Are you open today?'));
    const conversations = harness.db.collection('conversations');
    await eventually(() => isStored('conversations', newcomer));
    const stored = await conversations.findOne({ _id: newcomer } as never);
    await conversations.deleteOne({ _id: newcomer } as never);
    const key = randomUUID();
    const answered = sendReply({ kind: 'text', text: 'Yes!' }, key, newcomer);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await conversations.insertOne(stored as never);
    expect(await answered).toMatchObject({ type: 'reply_accepted', message: { id: key, text: 'Yes!' } });
    const published = await out.waitFor<AgentOutboundMessage>((value) => value.idempotency_key === key);
    expect(published).toMatchObject({ waID: newcomer, text: 'Yes!' });
  });
});
