import type { OperatorConversation, OperatorMessage } from '@wa-broker/shared/operator-protocol';
import type { Collection, Db } from 'mongodb';
import type { ConversationTouch } from '../domain/events.js';
import type { ConversationStore, Page } from '../domain/ports.js';
import { decodeCursor, encodeCursor, olderThan } from './cursor.js';

export interface ConversationDoc {
  _id: string;
  name?: string;
  user_id?: string;
  last_message: OperatorMessage | null;
  last_activity_at: Date;
  unread_count: number;
  window_expires_at?: Date;
  session: OperatorConversation['session'];
  session_at: Date;
}

const epoch = new Date(0);

export function conversationsCollection(db: Db): Collection<ConversationDoc> {
  return db.collection<ConversationDoc>('conversations');
}

export async function ensureConversationIndexes(collection: Collection<ConversationDoc>): Promise<void> {
  // The inbox list: most recent activity first.
  await collection.createIndex({ last_activity_at: -1, _id: -1 }, { name: 'activity' });
}

function toConversation(doc: ConversationDoc): OperatorConversation {
  return {
    wa_id: doc._id,
    ...(doc.name ? { name: doc.name } : {}),
    last_message: doc.last_message ?? null,
    last_activity_at: doc.last_activity_at.toISOString(),
    unread_count: doc.unread_count,
    window_expires_at: doc.window_expires_at ? doc.window_expires_at.toISOString() : null,
    session: doc.session,
  };
}

export function conversationStoreMongo(collection: Collection<ConversationDoc>): ConversationStore {
  return {
    async touch(touch: ConversationTouch) {
      // `$max` keeps the latest time whatever order events arrive in; a field cannot be both `$max`ed and
      // `$setOnInsert`ed, so the defaults cover only what this event does not move.
      const max: Partial<ConversationDoc> = {};
      if (touch.activity_at) max.last_activity_at = new Date(touch.activity_at);
      if (touch.window_expires_at) max.window_expires_at = new Date(touch.window_expires_at);
      const defaults: Partial<ConversationDoc> = {
        last_message: null,
        unread_count: 0,
        session: 'unknown',
        session_at: epoch,
      };
      if (!max.last_activity_at) defaults.last_activity_at = epoch;
      const set: Partial<ConversationDoc> = {};
      if (touch.name) set.name = touch.name;
      if (touch.user_id) set.user_id = touch.user_id;
      await collection.updateOne(
        { _id: touch.wa_id },
        {
          $setOnInsert: defaults,
          ...(Object.keys(set).length > 0 ? { $set: set } : {}),
          ...(Object.keys(max).length > 0 ? { $max: max } : {}),
        },
        { upsert: true },
      );
      if (touch.session) {
        const at = new Date(touch.session.at);
        // Only a later session event may change the state: a replayed `session_started` cannot reopen.
        await collection.updateOne(
          { _id: touch.wa_id, session_at: { $lt: at } },
          { $set: { session: touch.session.state, session_at: at } },
        );
      }
    },

    async summarize(waId, lastMessage, unreadCount) {
      await collection.updateOne(
        { _id: waId },
        { $set: { last_message: lastMessage, unread_count: unreadCount } },
      );
    },

    async get(waId) {
      const doc = await collection.findOne({ _id: waId });
      return doc ? toConversation(doc) : null;
    },

    async list(page: Page) {
      const docs = await collection
        .find(olderThan('last_activity_at', decodeCursor(page.before)))
        .sort({ last_activity_at: -1, _id: -1 })
        .limit(page.limit + 1)
        .toArray();
      const pageDocs = docs.slice(0, page.limit);
      const last = pageDocs.at(-1);
      const nextBefore =
        docs.length > page.limit && last ? encodeCursor(last.last_activity_at, last._id) : null;
      return { conversations: pageDocs.map(toConversation), nextBefore };
    },
  };
}
