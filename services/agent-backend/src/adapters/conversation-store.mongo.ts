import type {
  OperatorConversation,
  OperatorMessage,
  OperatorMessageStatus,
} from '@wa-broker/shared/operator-protocol';
import type { Collection, Db, Filter } from 'mongodb';
import type { ConversationTouch, StatusChange } from '../domain/events.js';
import type { ConversationFilter, ConversationStore, Page } from '../domain/ports.js';
import { decodeCursor, encodeCursor, olderThan } from './cursor.js';

export interface ConversationDoc {
  _id: string;
  name?: string;
  user_id?: string;
  username?: string;
  phone?: string;
  phone_number_id?: string;
  display_phone_number?: string;
  last_message: OperatorMessage | null;
  last_activity_at: Date;
  unread_count: number;
  window_expires_at?: Date;
  session: OperatorConversation['session'];
  session_at: Date;
  /** An operator id; absent or null while the conversation is in the queue. */
  assignee?: string | null;
  assigned_at?: Date | null;
  /** Absent on conversations stored before issue 20: open. */
  status?: OperatorConversation['status'];
  status_at?: Date;
  /** When the last typing indicator was sent (one per 25 s). */
  typing_at?: Date;
}

const epoch = new Date(0);

/** Who the user is and which number they write to: each kept as the latest event names it. */
const userFields = [
  'name',
  'user_id',
  'username',
  'phone',
  'phone_number_id',
  'display_phone_number',
] as const;

export function conversationsCollection(db: Db): Collection<ConversationDoc> {
  return db.collection<ConversationDoc>('conversations');
}

/** Where a moved conversation went: `_id` the old key, `to` the new one. */
export interface ConversationMoveDoc {
  _id: string;
  to: string;
  at: Date;
}

export function conversationMovesCollection(db: Db): Collection<ConversationMoveDoc> {
  return db.collection<ConversationMoveDoc>('conversation_moves');
}

const maxMoves = 4;

export async function ensureConversationIndexes(collection: Collection<ConversationDoc>): Promise<void> {
  // The inbox list: most recent activity first.
  await collection.createIndex({ last_activity_at: -1, _id: -1 }, { name: 'activity' });
  // Finding a conversation by the user's phone (operators and scripts know phones; keys are BSUIDs).
  await collection.createIndex({ phone: 1, last_activity_at: -1 }, { name: 'phone', sparse: true });
}

export function toConversation(doc: ConversationDoc): OperatorConversation {
  return {
    wa_id: doc._id,
    ...(doc.name ? { name: doc.name } : {}),
    ...(doc.username ? { username: doc.username } : {}),
    ...(doc.phone ? { phone: doc.phone } : {}),
    ...(doc.phone_number_id ? { phone_number_id: doc.phone_number_id } : {}),
    ...(doc.display_phone_number ? { display_phone_number: doc.display_phone_number } : {}),
    last_message: doc.last_message ?? null,
    last_activity_at: doc.last_activity_at.toISOString(),
    unread_count: doc.unread_count,
    window_expires_at: doc.window_expires_at ? doc.window_expires_at.toISOString() : null,
    session: doc.session,
    assignee: doc.assignee ?? null,
    assigned_at: doc.assigned_at ? doc.assigned_at.toISOString() : null,
    status: doc.status ?? 'open',
  };
}

export function conversationStoreMongo(
  collection: Collection<ConversationDoc>,
  moves: Collection<ConversationMoveDoc>,
): ConversationStore {
  return {
    async currentKey(waId) {
      let key = waId;
      // A user who changed twice: follow each move, a few at most (never round a loop).
      for (let hop = 0; hop < maxMoves; hop += 1) {
        const move = await moves.findOne({ _id: key });
        if (!move || move.to === waId) return key;
        key = move.to;
      }
      return key;
    },

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
      for (const field of userFields) if (touch[field]) set[field] = touch[field];
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

    async findKey(id) {
      const key = await this.currentKey(id);
      if (await collection.countDocuments({ _id: key }, { limit: 1 })) return key;
      const byPhone = await collection.find({ phone: id }).sort({ last_activity_at: -1 }).limit(1).next();
      return byPhone?._id ?? key;
    },

    async move(from, to) {
      await moves.updateOne({ _id: from }, { $set: { to, at: new Date() } }, { upsert: true });
      const old = await collection.findOne({ _id: from });
      if (!old) return;
      const { _id, last_message: _last, unread_count: _unread, ...kept } = old;
      const known = Object.fromEntries(
        userFields.flatMap((field) => (kept[field] ? [[field, kept[field]]] : [])),
      );
      // What the new key already knows wins ($setOnInsert); times only move later ($max).
      await collection.updateOne(
        { _id: to },
        {
          $setOnInsert: {
            ...known,
            last_message: null,
            unread_count: 0,
            session: kept.session,
            session_at: kept.session_at,
          },
          $max: {
            last_activity_at: kept.last_activity_at,
            ...(kept.window_expires_at ? { window_expires_at: kept.window_expires_at } : {}),
          },
        },
        { upsert: true },
      );
      // The operator answering the user keeps them: the new key takes the assignee unless it has one already.
      if (kept.assignee)
        await collection.updateOne(
          { _id: to, assignee: null },
          { $set: { assignee: kept.assignee, assigned_at: kept.assigned_at ?? null } },
        );
      await collection.deleteOne({ _id: from });
    },

    async summarize(waId, lastMessage, unreadCount) {
      await collection.updateOne(
        { _id: waId },
        { $set: { last_message: lastMessage, unread_count: unreadCount } },
      );
    },

    async advanceSummary(waId, message, unseen) {
      // As the messages' `history` order sorts them: time, then id. Times as toISOString writes them, so
      // strings compare as the times do (the summary's own come from the stored Date).
      const at = new Date(message.timestamp).toISOString();
      const notLater: Filter<ConversationDoc> = {
        _id: waId,
        $or: [
          { last_message: null },
          { 'last_message.timestamp': { $lt: at } },
          { 'last_message.timestamp': at, 'last_message.id': { $lte: message.id } },
        ],
      };
      // One write when the message is the latest (the usual case), so no reader sees the new last message
      // without its unseen count; an older one only adds to the count.
      const latest = await collection.updateOne(notLater, {
        $set: { last_message: { ...message, timestamp: at } },
        $inc: { unread_count: unseen },
      });
      if (latest.matchedCount === 0 && unseen > 0)
        await collection.updateOne({ _id: waId }, { $inc: { unread_count: unseen } });
    },

    async summaryStatus(waId, change: StatusChange, from: readonly OperatorMessageStatus[]) {
      if (!change.message_id) return;
      const set: Record<string, unknown> = { 'last_message.status': change.status };
      if (change.wamid) set['last_message.wamid'] = change.wamid;
      if (change.error) set['last_message.error'] = change.error;
      await collection.updateOne(
        {
          _id: waId,
          'last_message.id': change.message_id,
          'last_message.direction': 'out',
          'last_message.status': { $in: [...from] },
        },
        { $set: set },
      );
    },

    async get(waId) {
      const doc = await collection.findOne({ _id: waId });
      return doc ? toConversation(doc) : null;
    },

    async list(page: Page, filter: ConversationFilter = {}) {
      const where: Record<string, unknown> = {};
      if (filter.assignee !== undefined) where.assignee = filter.assignee;
      // Conversations stored before statuses existed have none: open.
      if (filter.status) where.status = filter.status === 'open' ? { $ne: 'resolved' } : 'resolved';
      const docs = await collection
        .find({ ...where, ...olderThan('last_activity_at', decodeCursor(page.before)) })
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
