import type {
  OperatorConversation,
  OperatorReply,
  OperatorTemplate,
  ServerFrame,
} from '@wa-broker/shared/operator-protocol';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { newIdempotencyKey } from '../../../lib/ids.js';
import type { OperatorConnection } from '../../../lib/operator-connection.js';
import type { ClientRequest } from '../../../lib/operator-socket.js';
import { describeFailure, type Failure } from '../api/describe-failure.js';
import { emptyInbox, type InboxState, inboxReducer, isUnknownReply } from './inbox-state.js';

export type SendResult = { ok: true } | ({ ok: false } & Failure);

/** The approved templates a conversation may be sent, and the number they are of (null: not known). */
export interface ConversationTemplates {
  phoneNumberId: string | null;
  templates: OperatorTemplate[];
}

/** Claim, release, hand over, resolve, reopen: the conversation's assignment and status. */
export type ConversationAction =
  | { type: 'claim' | 'release' | 'resolve' | 'reopen' }
  | { type: 'hand_over'; to: string };

export interface Inbox {
  state: InboxState;
  select(waId: string | null): void;
  send(waId: string, reply: OperatorReply): Promise<SendResult>;
  loadOlder(waId: string): void;
  /** By conversation, once asked for with `loadTemplates`; kept fresh by the server's pushes. */
  templates: Record<string, ConversationTemplates>;
  loadTemplates(waId: string): void;
  /** Answers null when done, else why not (a colleague claimed it first…). */
  act(waId: string, action: ConversationAction): Promise<Failure | null>;
  /** Opens a conversation found by search (it may not be in the loaded list). */
  open(conversation: OperatorConversation): void;
}

type Connection = Pick<OperatorConnection, 'request' | 'subscribe' | 'onOnline'>;

/** The inbox over the page's socket: resyncs the list and the open chat whenever it (re)connects. */
export function useInbox(connection: Connection): Inbox {
  const { request, subscribe, onOnline } = connection;
  const [state, dispatch] = useReducer(inboxReducer, emptyInbox);
  const [templates, setTemplates] = useState<Record<string, ConversationTemplates>>({});
  const templatesRef = useRef(templates);
  templatesRef.current = templates;
  const stateRef = useRef(state);
  stateRef.current = state;

  const loadHistory = useCallback(
    async (waId: string, before?: string) => {
      const answer = await request({ type: 'get_history', wa_id: waId, limit: 50, before });
      if (answer.type === 'history') dispatch({ type: 'history', frame: answer, older: Boolean(before) });
    },
    [request],
  );

  const markRead = useCallback(
    async (waId: string) => {
      const answer = await request({ type: 'mark_read', wa_id: waId });
      if (answer.type === 'read_marked') dispatch({ type: 'read', waId });
    },
    [request],
  );

  const loadTemplates = useCallback(
    (waId: string) => {
      void request({ type: 'list_templates', wa_id: waId })
        .then((answer) => {
          if (answer.type !== 'templates') return;
          const known = { phoneNumberId: answer.phone_number_id, templates: answer.templates };
          setTemplates((current) => ({ ...current, [waId]: known }));
        })
        .catch(() => undefined);
    },
    [request],
  );

  useEffect(() => {
    const resync = async () => {
      const list = await request({ type: 'list_conversations', limit: 200 });
      if (list.type === 'conversations') dispatch({ type: 'conversations', frame: list });
      const selected = stateRef.current.selected;
      if (selected) await Promise.all([loadHistory(selected), markRead(selected)]);
      // Template pushes missed while offline: the open picker's list is asked for again.
      if (selected && templatesRef.current[selected]) loadTemplates(selected);
    };
    const onFrame = (frame: ServerFrame) => {
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
      if (frame.type === 'assignment') dispatch({ type: 'assignment', frame });
      if (frame.type === 'conversation_status') {
        // A conversation this tab has not listed (resolved before it loaded, reopened now): list again.
        if (!stateRef.current.conversations[frame.wa_id]) void resync().catch(() => undefined);
        dispatch({ type: 'conversation_status', frame });
      }
    };
    const unsubscribe = subscribe(onFrame);
    const offOnline = onOnline(() => void resync().catch(() => undefined));
    return () => {
      unsubscribe();
      offOnline();
    };
  }, [request, subscribe, onOnline, loadHistory, markRead, loadTemplates]);

  const select = useCallback(
    (waId: string | null) => {
      dispatch({ type: 'select', waId });
      if (waId) void Promise.all([loadHistory(waId), markRead(waId)]).catch(() => undefined);
    },
    [loadHistory, markRead],
  );

  const send = useCallback(
    async (waId: string, reply: OperatorReply): Promise<SendResult> => {
      try {
        const answer = await request({
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
    },
    [request],
  );

  const act = useCallback(
    async (waId: string, action: ConversationAction): Promise<Failure | null> => {
      const frame: ClientRequest =
        action.type === 'hand_over'
          ? { type: 'hand_over', wa_id: waId, to: action.to }
          : { type: action.type, wa_id: waId };
      try {
        const answer = await request(frame);
        if (answer.type === 'assignment') dispatch({ type: 'assignment', frame: answer });
        else if (answer.type === 'conversation_status')
          dispatch({ type: 'conversation_status', frame: answer });
        else return describeFailure(answer);
        return null;
      } catch (error) {
        return describeFailure(error instanceof Error ? error : new Error(String(error)));
      }
    },
    [request],
  );

  const loadOlder = useCallback(
    (waId: string) => {
      const cursor = stateRef.current.olderCursor[waId];
      if (cursor) void loadHistory(waId, cursor).catch(() => undefined);
    },
    [loadHistory],
  );

  const open = useCallback(
    (conversation: OperatorConversation) => {
      // A listed conversation is kept fresh by pushes; one only search knew joins the list.
      if (!stateRef.current.conversations[conversation.wa_id])
        dispatch({
          type: 'conversations',
          frame: { v: 1, type: 'conversations', conversations: [conversation], next_before: null },
        });
      select(conversation.wa_id);
    },
    [select],
  );

  return { state, select, send, loadOlder, templates, loadTemplates, act, open };
}
