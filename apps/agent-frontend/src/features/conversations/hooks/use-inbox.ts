import type { OperatorReply, OperatorTemplate, ServerFrame } from '@wa-broker/shared/operator-protocol';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { socketUrl } from '../../../config/env.js';
import { newIdempotencyKey } from '../../../lib/ids.js';
import { type ConnectionState, OperatorSocket } from '../../../lib/operator-socket.js';
import { describeFailure, type Failure } from '../api/describe-failure.js';
import { emptyInbox, type InboxState, inboxReducer, isUnknownReply } from './inbox-state.js';

export type SendResult = { ok: true } | ({ ok: false } & Failure);

/** The approved templates a conversation may be sent, and the number they are of (null: not known). */
export interface ConversationTemplates {
  phoneNumberId: string | null;
  templates: OperatorTemplate[];
}

export interface Inbox {
  state: InboxState;
  connection: ConnectionState;
  agent: string | null;
  select(waId: string | null): void;
  send(waId: string, reply: OperatorReply): Promise<SendResult>;
  loadOlder(waId: string): void;
  /** By conversation, once asked for with `loadTemplates`; kept fresh by the server's pushes. */
  templates: Record<string, ConversationTemplates>;
  loadTemplates(waId: string): void;
}

/** The inbox over one reconnecting socket: resyncs the list and the open chat whenever it (re)connects. */
export function useInbox(token: string): Inbox {
  const [state, dispatch] = useReducer(inboxReducer, emptyInbox);
  const [connection, setConnection] = useState<ConnectionState>({ kind: 'connecting', attempt: 1 });
  const [agent, setAgent] = useState<string | null>(null);
  const [templates, setTemplates] = useState<Record<string, ConversationTemplates>>({});
  const templatesRef = useRef(templates);
  templatesRef.current = templates;
  const stateRef = useRef(state);
  stateRef.current = state;
  const socketRef = useRef<OperatorSocket | null>(null);

  const loadHistory = useCallback(async (waId: string, before?: string) => {
    const answer = await socketRef.current?.request({ type: 'get_history', wa_id: waId, limit: 50, before });
    if (answer?.type === 'history') dispatch({ type: 'history', frame: answer, older: Boolean(before) });
  }, []);

  const markRead = useCallback(async (waId: string) => {
    const answer = await socketRef.current?.request({ type: 'mark_read', wa_id: waId });
    if (answer?.type === 'read_marked') dispatch({ type: 'read', waId });
  }, []);

  const loadTemplates = useCallback((waId: string) => {
    void socketRef.current
      ?.request({ type: 'list_templates', wa_id: waId })
      .then((answer) => {
        if (answer.type !== 'templates') return;
        const known = { phoneNumberId: answer.phone_number_id, templates: answer.templates };
        setTemplates((current) => ({ ...current, [waId]: known }));
      })
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    const resync = async () => {
      const list = await socketRef.current?.request({ type: 'list_conversations', limit: 200 });
      if (list?.type === 'conversations') dispatch({ type: 'conversations', frame: list });
      const selected = stateRef.current.selected;
      if (selected) await Promise.all([loadHistory(selected), markRead(selected)]);
      // Template pushes missed while offline: the open picker's list is asked for again.
      if (selected && templatesRef.current[selected]) loadTemplates(selected);
    };
    const onFrame = (frame: ServerFrame) => {
      if (frame.type === 'welcome') setAgent(frame.agent);
      if (frame.type === 'message') {
        dispatch({ type: 'pushed', frame });
        const { wa_id, direction } = frame.message;
        if (stateRef.current.selected === wa_id && direction === 'in')
          void markRead(wa_id).catch(() => undefined);
      }
      if (frame.type === 'status') {
        // A reply sent from another tab: fetch it rather than drop its status.
        if (isUnknownReply(stateRef.current, frame)) void loadHistory(frame.wa_id).catch(() => undefined);
        dispatch({ type: 'status', frame });
      }
      if (frame.type === 'media_stored') dispatch({ type: 'media_stored', frame });
      // Pushed when a number's templates change (one paused, approved, deleted): every picker of it refreshes.
      if (frame.type === 'templates' && frame.phone_number_id && !frame.request_id) {
        const { phone_number_id: number, templates: fresh } = frame;
        setTemplates((current) =>
          Object.fromEntries(
            Object.entries(current).map(([waId, known]) => [
              waId,
              known.phoneNumberId === number ? { phoneNumberId: number, templates: fresh } : known,
            ]),
          ),
        );
      }
      if (frame.type === 'read_marked') dispatch({ type: 'read', waId: frame.wa_id });
      if (frame.type === 'conversation_moved') {
        const wasSelected = stateRef.current.selected === frame.from;
        dispatch({ type: 'moved', from: frame.from, to: frame.to });
        if (wasSelected) void loadHistory(frame.to).catch(() => undefined);
      }
    };
    const socket = new OperatorSocket({
      url: socketUrl(window.location, token),
      onFrame,
      onState: (next) => {
        setConnection(next);
        if (next.kind === 'online') void resync().catch(() => undefined);
      },
    });
    socketRef.current = socket;
    socket.connect();
    return () => socket.close();
  }, [token, loadHistory, markRead, loadTemplates]);

  const select = useCallback(
    (waId: string | null) => {
      dispatch({ type: 'select', waId });
      if (waId) void Promise.all([loadHistory(waId), markRead(waId)]).catch(() => undefined);
    },
    [loadHistory, markRead],
  );

  const send = useCallback(async (waId: string, reply: OperatorReply): Promise<SendResult> => {
    const socket = socketRef.current;
    if (!socket) return { ok: false, message: 'Not connected to the server.' };
    try {
      const answer = await socket.request({
        type: 'send_reply',
        wa_id: waId,
        idempotency_key: newIdempotencyKey(),
        reply,
      });
      if (answer.type === 'reply_accepted') {
        dispatch({ type: 'reply', message: answer.message });
        return { ok: true };
      }
      return { ok: false, ...describeFailure(answer) };
    } catch (error) {
      return { ok: false, ...describeFailure(error instanceof Error ? error : new Error(String(error))) };
    }
  }, []);

  const loadOlder = useCallback(
    (waId: string) => {
      const cursor = stateRef.current.olderCursor[waId];
      if (cursor) void loadHistory(waId, cursor).catch(() => undefined);
    },
    [loadHistory],
  );

  return { state, connection, agent, select, send, loadOlder, templates, loadTemplates };
}
