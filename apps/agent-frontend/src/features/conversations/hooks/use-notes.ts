import type { OperatorNote } from '@wa-broker/shared/operator-protocol';
import { useCallback, useEffect, useState } from 'react';
import type { OperatorConnection } from '../../../lib/operator-connection.js';
import { describeFailure, type Failure } from '../api/describe-failure.js';

export interface Notes {
  /** Oldest first; null while loading. */
  notes: OperatorNote[] | null;
  add(text: string): Promise<Failure | null>;
}

type Connection = Pick<OperatorConnection, 'request' | 'subscribe' | 'onOnline'>;

/**
 * A conversation's internal notes: `list_notes` when it opens (and after a reconnect), `note` pushes after.
 * Notes go by `add_note`, never by `send_reply`: nothing here can reach the user.
 */
export function useNotes(connection: Connection, waId: string | null): Notes {
  const { request, subscribe, onOnline } = connection;
  const [loaded, setLoaded] = useState<{ waId: string; notes: OperatorNote[] } | null>(null);

  useEffect(() => {
    if (!waId) return;
    const merge = (incoming: OperatorNote[]) =>
      setLoaded((current) => {
        const known = current?.waId === waId ? current.notes : [];
        const byId = new Map([...known, ...incoming].map((note) => [note.id, note]));
        const notes = [...byId.values()].sort((a, b) => a.created_at.localeCompare(b.created_at));
        return { waId, notes };
      });
    const load = () =>
      void request({ type: 'list_notes', wa_id: waId, limit: 100 })
        .then((answer) => {
          if (answer.type === 'notes' && answer.wa_id === waId) merge(answer.notes);
        })
        .catch(() => undefined);
    const unsubscribe = subscribe((frame) => {
      if (frame.type === 'note' && frame.note.wa_id === waId) merge([frame.note]);
    });
    const offOnline = onOnline(load);
    return () => {
      unsubscribe();
      offOnline();
    };
  }, [request, subscribe, onOnline, waId]);

  const add = useCallback(
    async (text: string): Promise<Failure | null> => {
      if (!waId) return { message: 'Choose a conversation first.' };
      try {
        const answer = await request({ type: 'add_note', wa_id: waId, text });
        if (answer.type !== 'note') return describeFailure(answer);
        setLoaded((current) =>
          current?.waId === waId && !current.notes.some((note) => note.id === answer.note.id)
            ? { waId, notes: [...current.notes, answer.note] }
            : current,
        );
        return null;
      } catch (error) {
        return describeFailure(error instanceof Error ? error : new Error(String(error)));
      }
    },
    [request, waId],
  );

  return { notes: loaded?.waId === waId ? loaded.notes : null, add };
}
