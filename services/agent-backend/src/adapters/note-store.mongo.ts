import type { OperatorNote } from '@wa-broker/shared/operator-protocol';
import type { Collection, Db } from 'mongodb';
import type { NoteStore } from '../domain/ports.js';
import { decodeCursor, encodeCursor, olderThan } from './cursor.js';

interface NoteDoc {
  _id: string;
  wa_id: string;
  author_id: string;
  author_name: string;
  text: string;
  created_at: Date;
}

/** Operators' notes: a collection of their own, which nothing that publishes to Kafka reads. */
export function notesCollection(db: Db): Collection<NoteDoc> {
  return db.collection<NoteDoc>('notes');
}

export async function ensureNoteIndexes(collection: Collection<NoteDoc>): Promise<void> {
  await collection.createIndex({ wa_id: 1, created_at: -1, _id: -1 }, { name: 'conversation' });
}

const toNote = ({ _id, created_at, ...rest }: NoteDoc): OperatorNote => ({
  ...rest,
  id: _id,
  created_at: created_at.toISOString(),
});

export function noteStoreMongo(collection: Collection<NoteDoc>): NoteStore {
  return {
    async add(note) {
      const { id, created_at, ...rest } = note;
      await collection.insertOne({ ...rest, _id: id, created_at: new Date(created_at) });
    },
    async moveAll(from, to) {
      await collection.updateMany({ wa_id: from }, { $set: { wa_id: to } });
    },
    async list(waId, page) {
      const docs = await collection
        .find({ wa_id: waId, ...olderThan('created_at', decodeCursor(page.before)) })
        .sort({ created_at: -1, _id: -1 })
        .limit(page.limit + 1)
        .toArray();
      const pageDocs = docs.slice(0, page.limit);
      const oldest = pageDocs.at(-1);
      const nextBefore =
        docs.length > page.limit && oldest ? encodeCursor(oldest.created_at, oldest._id) : null;
      return { notes: pageDocs.reverse().map(toNote), nextBefore };
    },
  };
}
