import { eventually } from '@wa-broker/infra/poll';
import type { ServerFrameOf } from '@wa-broker/shared/operator-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentError, inboundText } from './support/events.js';
import { createHarness, type Harness, operatorToken } from './support/harness.js';
import { connectOperator, frame, type OperatorClient } from './support/operator-client.js';

let harness: Harness;
let url: string;
let operator: OperatorClient;

beforeAll(async () => {
  harness = await createHarness();
  ({ url } = await harness.startInstance());
  operator = await connectOperator(url);
});

afterAll(async () => {
  operator?.close();
  await harness?.close();
});

describe('consume → store → push', () => {
  it('stores an inbound message, pushes it, and lists the conversation with an unread count', async () => {
    const event = inboundText('5511999990001', 'Olá, preciso de ajuda');
    await harness.produceInbound(event);

    const pushed = (await operator.waitForFrame(
      (f) => f.type === 'message' && f.message.id === event.event_id,
    )) as ServerFrameOf<'message'>;
    expect(pushed.message).toMatchObject({ direction: 'in', type: 'text', text: 'Olá, preciso de ajuda' });

    const messages = harness.db.collection('messages');
    await eventually(async () => (await messages.countDocuments({ _id: event.event_id } as never)) === 1);
    await eventually(async () => {
      const list = (await operator.request(
        frame({ type: 'list_conversations' }),
      )) as ServerFrameOf<'conversations'>;
      return list.conversations[0]?.unread_count === 1;
    });
    const list = (await operator.request(
      frame({ type: 'list_conversations' }),
    )) as ServerFrameOf<'conversations'>;
    expect(list.conversations[0]).toMatchObject({
      wa_id: '5511999990001',
      name: 'Maria Silva',
      unread_count: 1,
      window_expires_at: event.window_expires_at,
      last_message: { text: 'Olá, preciso de ajuda' },
    });

    const read = await operator.request(frame({ type: 'mark_read', wa_id: '5511999990001' }));
    expect(read.type).toBe('read_marked');
    const after = (await operator.request(
      frame({ type: 'list_conversations' }),
    )) as ServerFrameOf<'conversations'>;
    expect(after.conversations[0]?.unread_count).toBe(0);
  });

  it('stores a message delivered twice by Kafka once, and counts it once', async () => {
    const event = inboundText('5511999990002', 'duplicate me');
    await harness.produceInbound(event);
    await harness.produceInbound(event);
    const marker = inboundText('5511999990002', 'after the duplicate');
    await harness.produceInbound(marker);

    const messages = harness.db.collection('messages');
    // The conversation is summarised after its message is stored: wait for the marker's summary, not its message.
    const conversation = await eventually(
      async () => {
        const found = await harness.db.collection('conversations').findOne({ _id: '5511999990002' } as never);
        return found?.last_message?.id === marker.event_id ? found : undefined;
      },
      { what: "the marker's conversation summary" },
    );
    expect(await messages.countDocuments({ wa_id: '5511999990002' })).toBe(2);
    expect(conversation.unread_count).toBe(2);
  });

  it('adds the size of a user’s file once the media service stored it, pushed and in history, without moving the list', async () => {
    const waID = '5511999990005';
    const media = { id: 'media-777', mime_type: 'application/pdf', filename: 'receipt.pdf' };
    const photo = inboundText(waID, 'my receipt', { type: 'document', media });
    await harness.produceInbound(photo);
    await operator.waitForFrame((f) => f.type === 'message' && f.message.id === photo.event_id);
    const stored = inboundText(waID, 'my receipt', {
      event_id: `media-stored:106540352242922:${media.id}`,
      type: 'media_stored',
      wamid: photo.wamid,
      timestamp: new Date(Date.parse(photo.timestamp) + 60_000).toISOString(),
      media: { ...media, type: 'document', size: 1_572_864, sha256: 'ab'.repeat(32) },
    });
    await harness.produceInbound(stored);

    const pushed = (await operator.waitForFrame(
      (f) => f.type === 'media_stored' && f.wamid === photo.wamid,
    )) as ServerFrameOf<'media_stored'>;
    expect(pushed).toMatchObject({ wa_id: waID, media_id: media.id, size: 1_572_864 });
    // Pushing and storing are two consumers: the stored copy catches up on its own time.
    const history = await eventually(
      async () => {
        const answer = (await operator.request(
          frame({ type: 'get_history', wa_id: waID }),
        )) as ServerFrameOf<'history'>;
        return answer.messages[0]?.media?.size ? answer : undefined;
      },
      { what: 'the size in history' },
    );
    expect(history.messages).toHaveLength(1);
    expect(history.messages[0]?.media).toMatchObject({
      id: media.id,
      filename: 'receipt.pdf',
      size: 1_572_864,
    });
    const list = (await operator.request(
      frame({ type: 'list_conversations' }),
    )) as ServerFrameOf<'conversations'>;
    const conversation = list.conversations.find((c) => c.wa_id === waID);
    expect(conversation?.last_activity_at).toBe(photo.timestamp);
    expect(conversation?.unread_count).toBe(1);
  });

  it('pages history oldest first with a cursor to older messages', async () => {
    const waID = '5511999990003';
    const base = Date.now() - 60_000;
    const events = [0, 1, 2].map((i) =>
      inboundText(waID, `message ${i}`, { timestamp: new Date(base + i * 1000).toISOString() }),
    );
    for (const event of events) await harness.produceInbound(event);
    const messages = harness.db.collection('messages');
    await eventually(async () => (await messages.countDocuments({ wa_id: waID })) === 3);

    const newest = (await operator.request(
      frame({ type: 'get_history', wa_id: waID, limit: 2 }),
    )) as ServerFrameOf<'history'>;
    expect(newest.messages.map((m) => m.text)).toEqual(['message 1', 'message 2']);
    expect(newest.next_before).not.toBeNull();
    const older = (await operator.request(
      frame({ type: 'get_history', wa_id: waID, limit: 2, before: newest.next_before ?? '' }),
    )) as ServerFrameOf<'history'>;
    expect(older.messages.map((m) => m.text)).toEqual(['message 0']);
    expect(older.next_before).toBeNull();

    const response = await fetch(`${url}/api/conversations/${waID}/messages?limit=5`, {
      headers: { authorization: `Bearer ${operatorToken}` },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { messages: unknown[] }).messages).toHaveLength(3);
  });

  it('pushes router errors and stores them in the conversation', async () => {
    const error = agentError('5511999990004');
    await harness.produceError(error);
    const pushed = (await operator.waitForFrame(
      (f) => f.type === 'message' && f.message.id === error.event_id,
    )) as ServerFrameOf<'message'>;
    expect(pushed.message).toMatchObject({
      direction: 'system',
      type: 'error',
      error: { code: 'not_in_session' },
    });
    await eventually(async () => {
      const history = (await operator.request(
        frame({ type: 'get_history', wa_id: '5511999990004' }),
      )) as ServerFrameOf<'history'>;
      return history.messages.some((m) => m.id === error.event_id);
    });
  });
});
