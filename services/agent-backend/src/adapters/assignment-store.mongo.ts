import type { Collection, Db } from 'mongodb';
import type { AssignmentStore } from '../domain/ports.js';
import type { ConversationDoc } from './conversation-store.mongo.js';

interface TeamStateDoc {
  _id: string;
  operator_id: string;
}

export async function ensureAssignmentIndexes(collection: Collection<ConversationDoc>): Promise<void> {
  // An operator's conversations (their load, the offline release) and the queue.
  await collection.createIndex({ assignee: 1, status: 1 }, { name: 'assignee' });
}

/** Assignment and status live on the conversation documents: one conditional update decides each change. */
export function assignmentStoreMongo(collection: Collection<ConversationDoc>, db: Db): AssignmentStore {
  const state = db.collection<TeamStateDoc>('team_state');
  const open = { status: { $ne: 'resolved' as const } };
  return {
    async reassign(waId, from, to, at) {
      // `assignee: null` also matches conversations stored before assignment existed (no field).
      const result = await collection.updateOne(
        { _id: waId, assignee: from },
        { $set: { assignee: to, assigned_at: to === null ? null : at } },
      );
      return result.modifiedCount === 1;
    },
    async openLoad(operatorIds) {
      const load = new Map<string, number>();
      for (const id of operatorIds) load.set(id, await collection.countDocuments({ assignee: id, ...open }));
      return load;
    },
    async assignedTo(operatorId) {
      return (await collection.find({ assignee: operatorId }, { projection: { _id: 1 } }).toArray()).map(
        (doc) => doc._id,
      );
    },
    async assignees() {
      const ids = await collection.distinct('assignee', { assignee: { $ne: null } });
      return ids.filter((id): id is string => typeof id === 'string');
    },
    async queue(limit) {
      const docs = await collection
        .find({ assignee: null, ...open }, { projection: { _id: 1 } })
        .sort({ last_activity_at: 1, _id: 1 })
        .limit(limit)
        .toArray();
      return docs.map((doc) => doc._id);
    },
    async setStatus(waId, status, at) {
      const current = status === 'resolved' ? open : { status: 'resolved' as const };
      const result = await collection.updateOne(
        { _id: waId, ...current },
        { $set: { status, status_at: at } },
      );
      return result.modifiedCount === 1;
    },
    async lastAutoAssigned() {
      return (await state.findOne({ _id: 'round_robin' }))?.operator_id ?? null;
    },
    async rememberAutoAssigned(operatorId) {
      await state.updateOne({ _id: 'round_robin' }, { $set: { operator_id: operatorId } }, { upsert: true });
    },
  };
}
