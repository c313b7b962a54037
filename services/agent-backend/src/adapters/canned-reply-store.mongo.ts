import { DomainError } from '@wa-broker/shared/errors';
import type { CannedReply } from '@wa-broker/shared/operator-protocol';
import { type Collection, type Db, MongoServerError } from 'mongodb';
import type { CannedReplyStore } from '../domain/ports.js';

interface CannedReplyDoc {
  _id: string;
  shortcut: string;
  text: string;
  updated_by: string | null;
  updated_at: Date;
}

export function cannedRepliesCollection(db: Db): Collection<CannedReplyDoc> {
  return db.collection<CannedReplyDoc>('canned_replies');
}

export async function ensureCannedReplyIndexes(collection: Collection<CannedReplyDoc>): Promise<void> {
  await collection.createIndex({ shortcut: 1 }, { name: 'shortcut_unique', unique: true });
}

const shortcutTaken = (shortcut: string) =>
  new DomainError('conflict', `The shortcut ${shortcut} is taken; choose another.`);
const isDuplicateKey = (error: unknown) => error instanceof MongoServerError && error.code === 11000;

const toReply = ({ _id, updated_at, ...rest }: CannedReplyDoc): CannedReply => ({
  ...rest,
  id: _id,
  updated_at: updated_at.toISOString(),
});

export function cannedReplyStoreMongo(collection: Collection<CannedReplyDoc>): CannedReplyStore {
  return {
    async list() {
      return (await collection.find({}).sort({ shortcut: 1 }).toArray()).map(toReply);
    },
    async create(reply) {
      const { id, updated_at, ...rest } = reply;
      try {
        await collection.insertOne({ ...rest, _id: id, updated_at: new Date(updated_at) });
      } catch (error) {
        if (isDuplicateKey(error)) throw shortcutTaken(reply.shortcut);
        throw error;
      }
    },
    async update(id, patch, by, at) {
      try {
        await collection.updateOne({ _id: id }, { $set: { ...patch, updated_by: by, updated_at: at } });
      } catch (error) {
        if (isDuplicateKey(error)) throw shortcutTaken(patch.shortcut ?? '');
        throw error;
      }
      const doc = await collection.findOne({ _id: id });
      return doc ? toReply(doc) : null;
    },
    async remove(id) {
      return (await collection.deleteOne({ _id: id })).deletedCount === 1;
    },
  };
}
