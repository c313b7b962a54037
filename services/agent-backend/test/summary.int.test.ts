import { randomUUID } from 'node:crypto';
import { testStackEnv } from '@wa-broker/infra/test-env';
import type { OperatorMessage } from '@wa-broker/shared/operator-protocol';
import { type Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conversationMovesCollection,
  conversationStoreMongo,
  conversationsCollection,
} from '../src/adapters/conversation-store.mongo.js';
import { messageStoreMongo, messagesCollection } from '../src/adapters/message-store.mongo.js';
import { type InboxStores, recordEvent, recordReply } from '../src/domain/inbox.js';
import { planInbound } from '../src/domain/plan-inbound.js';
import { inboundText, statusEvent } from './support/events.js';

// The conversation summary (last message, unseen count) kept up with key lookups instead of recomputed from the
// messages after every event: the same summary as a recompute, whatever the order or repetition of events.
let mongo: MongoClient;
let db: Db;
let stores: InboxStores;

beforeAll(async () => {
  mongo = new MongoClient(testStackEnv().MONGO_URL, {
    ignoreUndefined: true,
    serverSelectionTimeoutMS: 5000,
  });
  await mongo.connect();
  db = mongo.db(`agent_summary_${randomUUID().slice(0, 8)}`);
  stores = {
    messages: messageStoreMongo(messagesCollection(db)),
    conversations: conversationStoreMongo(conversationsCollection(db), conversationMovesCollection(db)),
  };
});

afterAll(async () => {
  await db?.dropDatabase();
  await mongo?.close();
});

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, seconds)).toISOString();
const conversation = async (waId: string) => {
  const found = await stores.conversations.get(waId);
  if (!found) throw new Error(`no conversation ${waId}`);
  return found;
};
const reply = (waId: string, id: string, seconds: number): OperatorMessage => ({
  id,
  wa_id: waId,
  direction: 'out',
  type: 'text',
  text: `reply ${id}`,
  timestamp: at(seconds),
  status: 'pending',
});

describe('the conversation summary follows each event', () => {
  it('keeps the latest message when an older one is stored after it, and counts both unseen', async () => {
    const newer = inboundText('5511000000001', 'second', { timestamp: at(20) });
    const older = inboundText('5511000000001', 'first', { timestamp: at(10) });
    await recordEvent(stores, planInbound(newer));
    await recordEvent(stores, planInbound(older));
    const summary = await conversation('5511000000001');
    expect(summary.last_message).toMatchObject({ id: newer.event_id, text: 'second', timestamp: at(20) });
    expect(summary.unread_count).toBe(2);
  });

  it('orders messages of the same time by id, as the history does', async () => {
    const b = inboundText('5511000000002', 'b', { timestamp: at(5), event_id: 'wamid.b', wamid: 'wamid.b' });
    const a = inboundText('5511000000002', 'a', { timestamp: at(5), event_id: 'wamid.a', wamid: 'wamid.a' });
    await recordEvent(stores, planInbound(b));
    await recordEvent(stores, planInbound(a));
    expect((await conversation('5511000000002')).last_message?.id).toBe('wamid.b');
    const history = await stores.messages.history('5511000000002', { limit: 10 });
    expect(history.messages.at(-1)?.id).toBe('wamid.b');
  });

  it('counts a message Kafka delivers twice once', async () => {
    const event = inboundText('5511000000003', 'twice', { timestamp: at(1) });
    await recordEvent(stores, planInbound(event));
    await recordEvent(stores, planInbound(event));
    const summary = await conversation('5511000000003');
    expect(summary.unread_count).toBe(1);
    expect(summary.last_message?.id).toBe(event.event_id);
  });

  it('repairs the summary when an event stored its message but stopped before the summary', async () => {
    const event = inboundText('5511000000004', 'interrupted', { timestamp: at(2) });
    const plan = planInbound(event);
    // The first attempt stored the message and the conversation, then the process died.
    await stores.messages.insert(plan.message as OperatorMessage);
    await stores.conversations.touch(plan.conversation);
    await recordEvent(stores, plan); // the redelivery
    const summary = await conversation('5511000000004');
    expect(summary.unread_count).toBe(1);
    expect(summary.last_message?.id).toBe(event.event_id);
  });

  it('moves the last reply’s status forward only, and leaves it when the status is another reply’s', async () => {
    const waId = '5511000000005';
    await recordEvent(stores, planInbound(inboundText(waId, 'hi', { timestamp: at(1) })));
    await recordReply(stores, reply(waId, 'reply-1', 2));
    await recordReply(stores, reply(waId, 'reply-2', 3));
    const status = (s: 'sent' | 'delivered' | 'read', key: string) =>
      recordEvent(stores, planInbound(statusEvent(waId, s, { wamid: `wamid.${key}`, idempotency_key: key })));
    await status('sent', 'reply-2');
    expect((await conversation(waId)).last_message).toMatchObject({
      id: 'reply-2',
      status: 'sent',
      wamid: 'wamid.reply-2',
    });
    await status('read', 'reply-2');
    await status('delivered', 'reply-2'); // late: read stays
    await status('read', 'reply-1'); // not the last message
    const summary = await conversation(waId);
    expect(summary.last_message).toMatchObject({ id: 'reply-2', status: 'read' });
    expect(summary.unread_count).toBe(1);
    expect((await stores.messages.get('reply-1'))?.status).toBe('read');
  });

  it('gives the same summary as a recompute from the messages', async () => {
    const waId = '5511000000006';
    await recordEvent(stores, planInbound(inboundText(waId, 'one', { timestamp: at(1) })));
    await recordReply(stores, reply(waId, 'reply-6', 2));
    await recordEvent(stores, planInbound(inboundText(waId, 'two', { timestamp: at(3) })));
    await recordEvent(
      stores,
      planInbound(statusEvent(waId, 'delivered', { wamid: 'w6', idempotency_key: 'reply-6' })),
    );
    const followed = await conversation(waId);
    const latest = await stores.messages.latest(waId);
    const unseen = await stores.messages.countUnseen(waId);
    expect(followed.last_message).toEqual(latest);
    expect(followed.unread_count).toBe(unseen);
  });

  it('never shows a new last message without its unseen count, to a reader polling meanwhile', async () => {
    const waId = '5511000000007';
    const events = Array.from({ length: 40 }, (_, n) =>
      inboundText(waId, `message ${n}`, {
        timestamp: at(n),
        event_id: `wamid.7-${n}`,
        wamid: `wamid.7-${n}`,
      }),
    );
    const seen: { last: string | undefined; unread: number }[] = [];
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const found = await stores.conversations.get(waId);
        if (found) seen.push({ last: found.last_message?.id, unread: found.unread_count });
      }
    })();
    for (const event of events) await recordEvent(stores, planInbound(event));
    writing = false;
    await reader;
    // The nth message (from 0) is the last one only once n + 1 messages are counted.
    const behind = seen.filter(({ last, unread }) => last && unread < Number(last.split('-')[1]) + 1);
    expect(seen.length).toBeGreaterThan(0);
    expect(behind).toEqual([]);
  });
});
