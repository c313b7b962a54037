import type { OperatorMessage, OperatorMessageStatus } from '@wa-broker/shared/operator-protocol';
import { type Collection, type Db, MongoServerError } from 'mongodb';
import type { StatusChange } from '../domain/events.js';
import type { MessageStore, Page } from '../domain/ports.js';
import { decodeCursor, encodeCursor, olderThan } from './cursor.js';

export type MessageDoc = Omit<OperatorMessage, 'id' | 'timestamp'> & {
  _id: string;
  timestamp: Date;
  status_at?: Date;
  /** Inbound only: when this instance group sent the `mark_as_read` for it (never sent twice). */
  read_receipt_at?: Date;
};

export function messagesCollection(db: Db): Collection<MessageDoc> {
  return db.collection<MessageDoc>('messages');
}

export async function ensureMessageIndexes(collection: Collection<MessageDoc>): Promise<void> {
  // History pages and the latest message of a conversation.
  await collection.createIndex({ wa_id: 1, timestamp: -1, _id: -1 }, { name: 'history' });
  // Kafka redelivers: one document per wamid whoever writes it.
  await collection.createIndex({ wamid: 1 }, { name: 'wamid_unique', unique: true, sparse: true });
  await collection.createIndex({ wa_id: 1, direction: 1, seen: 1 }, { name: 'unseen' });
}

const isDuplicateKey = (error: unknown) => error instanceof MongoServerError && error.code === 11000;

export function toMessage(doc: MessageDoc): OperatorMessage {
  const { _id, timestamp, status_at: _statusAt, read_receipt_at: _receiptAt, ...rest } = doc;
  return { ...rest, id: _id, timestamp: timestamp.toISOString() };
}

export function messageStoreMongo(collection: Collection<MessageDoc>): MessageStore {
  return {
    async insert(message) {
      const { id, timestamp, ...rest } = message;
      const doc: MessageDoc = { ...rest, _id: id, timestamp: new Date(timestamp) };
      try {
        const result = await collection.updateOne({ _id: id }, { $setOnInsert: doc }, { upsert: true });
        return result.upsertedCount === 1;
      } catch (error) {
        if (isDuplicateKey(error)) return false; // same wamid under another id, or a concurrent insert
        throw error;
      }
    },

    async applyStatus(change: StatusChange, from: readonly OperatorMessageStatus[]) {
      const target = change.message_id ? { _id: change.message_id } : { wamid: change.wamid };
      if (!change.message_id && !change.wamid) return false;
      const set: Partial<MessageDoc> = { status: change.status, status_at: new Date(change.timestamp) };
      if (change.wamid) set.wamid = change.wamid;
      if (change.error) set.error = change.error;
      try {
        const result = await collection.updateOne(
          { ...target, direction: 'out', status: { $in: [...from] } },
          { $set: set },
        );
        return result.modifiedCount === 1;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },

    async setMediaStored(change) {
      const set: Record<string, unknown> = { 'media.size': change.size };
      if (change.mime_type) set['media.mime_type'] = change.mime_type;
      const result = await collection.updateOne(
        { wamid: change.wamid, direction: 'in', 'media.id': change.media_id },
        { $set: set },
      );
      return result.modifiedCount === 1;
    },

    async moveAll(from, to) {
      await collection.updateMany({ wa_id: from }, { $set: { wa_id: to } });
    },

    async get(id) {
      const doc = await collection.findOne({ _id: id });
      return doc ? toMessage(doc) : null;
    },

    async latestInbound(waId) {
      const doc = await collection
        .find({ wa_id: waId, direction: 'in', wamid: { $exists: true } })
        .sort({ timestamp: -1, _id: -1 })
        .limit(1)
        .next();
      return doc ? toMessage(doc) : null;
    },

    // A conditional update: of two instances (or two clicks) claiming at once, one matches.
    async claimReadReceipt(id, at) {
      const result = await collection.updateOne(
        { _id: id, read_receipt_at: { $exists: false } },
        { $set: { read_receipt_at: at } },
      );
      return result.modifiedCount === 1;
    },

    async releaseReadReceipt(id) {
      await collection.updateOne({ _id: id }, { $unset: { read_receipt_at: '' } });
    },

    async latest(waId) {
      const doc = await collection.find({ wa_id: waId }).sort({ timestamp: -1, _id: -1 }).limit(1).next();
      return doc ? toMessage(doc) : null;
    },

    countUnseen: (waId) => collection.countDocuments({ wa_id: waId, direction: 'in', seen: false }),

    async markSeen(waId) {
      await collection.updateMany({ wa_id: waId, direction: 'in', seen: false }, { $set: { seen: true } });
    },

    async history(waId, page: Page) {
      const docs = await collection
        .find({ wa_id: waId, ...olderThan('timestamp', decodeCursor(page.before)) })
        .sort({ timestamp: -1, _id: -1 })
        .limit(page.limit + 1)
        .toArray();
      const pageDocs = docs.slice(0, page.limit);
      const oldest = pageDocs.at(-1);
      const nextBefore =
        docs.length > page.limit && oldest ? encodeCursor(oldest.timestamp, oldest._id) : null;
      return { messages: pageDocs.reverse().map(toMessage), nextBefore };
    },
  };
}
