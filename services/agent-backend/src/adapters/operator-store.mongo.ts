import { DomainError } from '@wa-broker/shared/errors';
import type { OperatorRole } from '@wa-broker/shared/operator-accounts';
import { type Collection, type Db, MongoServerError } from 'mongodb';
import type { OperatorRecord, OperatorStore, PasswordHash } from '../domain/ports.js';

export interface OperatorDoc {
  _id: string;
  name: string;
  email: string;
  /** The email lower-cased: the unique index makes `Ana@x` and `ana@x` one account. */
  email_lc: string;
  role: OperatorRole;
  disabled: boolean;
  password: PasswordHash;
  created_at: Date;
  last_seen_at: Date | null;
}

export function operatorsCollection(db: Db): Collection<OperatorDoc> {
  return db.collection<OperatorDoc>('operators');
}

export async function ensureOperatorIndexes(collection: Collection<OperatorDoc>): Promise<void> {
  await collection.createIndex({ email_lc: 1 }, { name: 'email_unique', unique: true });
  await collection.createIndex({ role: 1, disabled: 1, created_at: 1 }, { name: 'role' });
}

const emailTaken = () => new DomainError('email_taken', 'An operator with this email exists.');
const isDuplicateKey = (error: unknown) => error instanceof MongoServerError && error.code === 11000;

function toRecord(doc: OperatorDoc): OperatorRecord {
  return {
    id: doc._id,
    name: doc.name,
    email: doc.email,
    role: doc.role,
    disabled: doc.disabled,
    password: doc.password,
    createdAt: doc.created_at,
    lastSeenAt: doc.last_seen_at ?? null,
  };
}

export function operatorStoreMongo(collection: Collection<OperatorDoc>): OperatorStore {
  return {
    async create(operator) {
      try {
        await collection.insertOne({
          _id: operator.id,
          name: operator.name,
          email: operator.email,
          email_lc: operator.email.toLowerCase(),
          role: operator.role,
          disabled: operator.disabled,
          password: operator.password,
          created_at: operator.createdAt,
          last_seen_at: operator.lastSeenAt,
        });
      } catch (error) {
        if (isDuplicateKey(error)) throw emailTaken();
        throw error;
      }
    },
    async get(id) {
      const doc = await collection.findOne({ _id: id });
      return doc ? toRecord(doc) : null;
    },
    async findByEmail(email) {
      const doc = await collection.findOne({ email_lc: email.toLowerCase() });
      return doc ? toRecord(doc) : null;
    },
    async list() {
      return (await collection.find({}).sort({ created_at: 1, _id: 1 }).toArray()).map(toRecord);
    },
    async update(id, patch) {
      const set: Partial<OperatorDoc> = {};
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.email !== undefined)
        Object.assign(set, { email: patch.email, email_lc: patch.email.toLowerCase() });
      if (patch.role !== undefined) set.role = patch.role;
      if (patch.disabled !== undefined) set.disabled = patch.disabled;
      if (patch.password !== undefined) set.password = patch.password;
      try {
        if (Object.keys(set).length > 0) await collection.updateOne({ _id: id }, { $set: set });
      } catch (error) {
        if (isDuplicateKey(error)) throw emailTaken();
        throw error;
      }
      return this.get(id);
    },
    countEnabledAdmins: () => collection.countDocuments({ role: 'admin', disabled: false }),
    async firstAdmin() {
      const doc = await collection
        .find({ role: 'admin', disabled: false })
        .sort({ created_at: 1, _id: 1 })
        .limit(1)
        .next();
      return doc ? toRecord(doc) : null;
    },
    async markSeen(ids, at) {
      if (ids.length === 0) return;
      await collection.updateMany({ _id: { $in: [...ids] } }, { $max: { last_seen_at: at } });
    },
  };
}
