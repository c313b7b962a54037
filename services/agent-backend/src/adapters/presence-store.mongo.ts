import type { Collection, Db } from 'mongodb';
import type { PresenceStore } from '../domain/ports.js';

interface PresenceDoc {
  /** `<operator id>|<instance id>`: each instance writes only its own entries. */
  _id: string;
  operator_id: string;
  instance_id: string;
  sockets: number;
  seen_at: Date;
}

export function presenceCollection(db: Db): Collection<PresenceDoc> {
  return db.collection<PresenceDoc>('operator_presence');
}

export async function ensurePresenceIndexes(collection: Collection<PresenceDoc>): Promise<void> {
  await collection.createIndex({ operator_id: 1, seen_at: -1 }, { name: 'operator' });
  await collection.createIndex({ instance_id: 1 }, { name: 'instance' });
}

/**
 * Presence is the union over instances: an operator is online while any instance holds a fresh entry for them.
 * Each instance refreshes its entries on a heartbeat; an instance that died stops refreshing and its entries go
 * stale, so presence stays right without a coordinator.
 */
export function presenceStoreMongo(collection: Collection<PresenceDoc>, staleAfterMs: number): PresenceStore {
  const operatorsOf = async (filter: Record<string, unknown>) => {
    const docs = await collection.find(filter, { projection: { operator_id: 1 } }).toArray();
    await collection.deleteMany(filter);
    return [...new Set(docs.map((doc) => doc.operator_id))];
  };
  return {
    async set(operatorId, instanceId, sockets, at) {
      const _id = `${operatorId}|${instanceId}`;
      if (sockets <= 0) {
        await collection.deleteOne({ _id });
        return;
      }
      await collection.updateOne(
        { _id },
        { $set: { operator_id: operatorId, instance_id: instanceId, sockets, seen_at: at } },
        { upsert: true },
      );
    },
    async online(now) {
      const fresh = new Date(now.getTime() - staleAfterMs);
      const ids = await collection.distinct('operator_id', { seen_at: { $gt: fresh }, sockets: { $gt: 0 } });
      return new Set(ids as string[]);
    },
    removeStale: (staleBefore) => operatorsOf({ seen_at: { $lte: staleBefore } }),
    clearInstance: (instanceId) => operatorsOf({ instance_id: instanceId }),
  };
}
