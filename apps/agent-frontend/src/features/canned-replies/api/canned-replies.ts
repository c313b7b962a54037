import type { CannedReply, ServerFrame } from '@wa-broker/shared/operator-protocol';
import { useCallback, useEffect, useState } from 'react';
import type { OperatorConnection } from '../../../lib/operator-connection.js';
import type { ClientRequest } from '../../../lib/operator-socket.js';

export type CannedOutcome = { ok: true } | { ok: false; message: string; fields: Record<string, string> };

export interface CannedReplies {
  /** By shortcut; null until loaded. */
  replies: CannedReply[] | null;
  create(shortcut: string, text: string): Promise<CannedOutcome>;
  update(id: string, change: { shortcut?: string; text?: string }): Promise<CannedOutcome>;
  remove(id: string): Promise<CannedOutcome>;
}

type Connection = Pick<OperatorConnection, 'request' | 'subscribe' | 'onOnline'>;

const byShortcut = (replies: CannedReply[]) =>
  [...replies].sort((a, b) => a.shortcut.localeCompare(b.shortcut));

/** A refusal in words: a taken shortcut (`conflict`), fields Meta or the schema refuse (`invalid_frame`). */
export function describeCannedFailure(frame: ServerFrame | Error): Extract<CannedOutcome, { ok: false }> {
  if (frame instanceof Error) return { ok: false, message: `Not saved: ${frame.message}`, fields: {} };
  if (frame.type !== 'error') return { ok: false, message: 'The server answered unexpectedly.', fields: {} };
  const fields = Object.fromEntries((frame.issues ?? []).map((issue) => [issue.path, issue.message]));
  if (frame.code === 'conflict')
    return { ok: false, message: 'This shortcut is taken.', fields: { shortcut: 'this shortcut is taken' } };
  if (frame.code === 'invalid_frame') return { ok: false, message: 'Check the fields below.', fields };
  if (frame.code === 'not_found')
    return { ok: false, message: 'This canned reply was deleted meanwhile.', fields };
  return { ok: false, message: frame.message, fields };
}

/** The team's canned replies over the socket: listed on (re)connect, kept fresh by everyone's changes. */
export function useCannedReplies(connection: Connection): CannedReplies {
  const { request, subscribe, onOnline } = connection;
  const [replies, setReplies] = useState<CannedReply[] | null>(null);

  const upsert = useCallback(
    (reply: CannedReply) =>
      setReplies((current) => byShortcut([...(current ?? []).filter((item) => item.id !== reply.id), reply])),
    [],
  );
  const drop = useCallback(
    (id: string) => setReplies((current) => current?.filter((item) => item.id !== id) ?? null),
    [],
  );

  useEffect(() => {
    const load = () =>
      void request({ type: 'list_canned_replies' })
        .then((answer) => {
          if (answer.type === 'canned_replies') setReplies(byShortcut(answer.canned_replies));
        })
        .catch(() => undefined);
    const unsubscribe = subscribe((frame) => {
      if (frame.type === 'canned_reply') upsert(frame.canned_reply);
      if (frame.type === 'canned_reply_deleted') drop(frame.id);
    });
    const offOnline = onOnline(load);
    return () => {
      unsubscribe();
      offOnline();
    };
  }, [request, subscribe, onOnline, upsert, drop]);

  const run = useCallback(
    async (frame: ClientRequest): Promise<CannedOutcome> => {
      try {
        const answer = await request(frame);
        if (answer.type === 'canned_reply') upsert(answer.canned_reply);
        else if (answer.type === 'canned_reply_deleted') drop(answer.id);
        else return describeCannedFailure(answer);
        return { ok: true };
      } catch (error) {
        return describeCannedFailure(error instanceof Error ? error : new Error(String(error)));
      }
    },
    [request, upsert, drop],
  );

  return {
    replies,
    create: (shortcut, text) => run({ type: 'create_canned_reply', shortcut, text }),
    update: (id, change) => run({ type: 'update_canned_reply', id, ...change }),
    remove: (id) => run({ type: 'delete_canned_reply', id }),
  };
}
