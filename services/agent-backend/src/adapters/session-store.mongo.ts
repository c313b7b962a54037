import type { Collection, Db } from 'mongodb';
import type { SessionStore } from '../domain/ports.js';

export interface SessionDoc {
  /** SHA-256 of the cookie's token (hex). */
  _id: string;
  operator_id: string;
  created_at: Date;
  expires_at: Date;
}

export function sessionsCollection(db: Db): Collection<SessionDoc> {
  return db.collection<SessionDoc>('sessions');
}

export async function ensureSessionIndexes(collection: Collection<SessionDoc>): Promise<void> {
  await collection.createIndex({ operator_id: 1 }, { name: 'operator' });
  // MongoDB removes expired sessions itself; every read checks `expires_at` too (mongo-java-server keeps them).
  await collection.createIndex({ expires_at: 1 }, { name: 'expiry', expireAfterSeconds: 0 });
}

export function sessionStoreMongo(collection: Collection<SessionDoc>): SessionStore {
  return {
    async create(session) {
      await collection.insertOne({
        _id: session.id,
        operator_id: session.operatorId,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
      });
    },
    async get(id, now) {
      const doc = await collection.findOne({ _id: id, expires_at: { $gt: now } });
      return doc
        ? { id: doc._id, operatorId: doc.operator_id, createdAt: doc.created_at, expiresAt: doc.expires_at }
        : null;
    },
    async revoke(id) {
      await collection.deleteOne({ _id: id });
    },
    async revokeAllOf(operatorId) {
      await collection.deleteMany({ operator_id: operatorId });
    },
  };
}
