import { isReplyStatusForward } from '@wa-broker/shared/delivery-status';
import type {
  OperatorConversation,
  OperatorMessage,
  OperatorMessageStatus,
  ServerFrameOf,
} from '@wa-broker/shared/operator-protocol';

export interface InboxState {
  conversations: Record<string, OperatorConversation>;
  /** Loaded history per conversation, oldest first. */
  messages: Record<string, OperatorMessage[]>;
  olderCursor: Record<string, string | null>;
  selected: string | null;
}

export type InboxAction =
  | { type: 'conversations'; frame: ServerFrameOf<'conversations'> }
  | { type: 'history'; frame: ServerFrameOf<'history'>; older: boolean }
  | { type: 'pushed'; frame: ServerFrameOf<'message'> }
  | { type: 'status'; frame: ServerFrameOf<'status'> }
  | { type: 'media_stored'; frame: ServerFrameOf<'media_stored'> }
  | { type: 'reply'; message: OperatorMessage }
  | { type: 'read'; waId: string }
  | { type: 'moved'; from: string; to: string }
  | { type: 'assignment'; frame: ServerFrameOf<'assignment'> }
  | { type: 'conversation_status'; frame: ServerFrameOf<'conversation_status'> }
  | { type: 'select'; waId: string | null };

export const emptyInbox: InboxState = { conversations: {}, messages: {}, olderCursor: {}, selected: null };

const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) : Number.NEGATIVE_INFINITY);

/** Delivery only moves forward, by the rule the backend and the router use (`isReplyStatusForward`). */
export function laterStatus(current: OperatorMessageStatus | undefined, next: OperatorMessageStatus) {
  if (!current) return next;
  return isReplyStatusForward(current, next) ? next : current;
}

function upsert(list: OperatorMessage[] = [], message: OperatorMessage): OperatorMessage[] {
  const index = list.findIndex((item) => item.id === message.id);
  if (index < 0) return [...list, message].sort((a, b) => time(a.timestamp) - time(b.timestamp));
  const current = list[index] as OperatorMessage;
  const merged = { ...current, ...message };
  if (current.status && message.status) merged.status = laterStatus(current.status, message.status);
  return list.map((item, i) => (i === index ? merged : item));
}

function touch(
  state: InboxState,
  message: OperatorMessage,
  hint: ServerFrameOf<'message'>['conversation'],
): OperatorConversation {
  const existing = state.conversations[message.wa_id];
  const isUnseen = message.direction === 'in' && state.selected !== message.wa_id;
  const window = hint?.window_expires_at ?? null;
  return {
    ...existing,
    wa_id: message.wa_id,
    name: hint?.name ?? existing?.name,
    last_message: message,
    last_activity_at:
      existing && time(existing.last_activity_at) > time(message.timestamp)
        ? existing.last_activity_at
        : message.timestamp,
    unread_count: (existing?.unread_count ?? 0) + (isUnseen ? 1 : 0),
    window_expires_at:
      window && time(window) > time(existing?.window_expires_at)
        ? window
        : (existing?.window_expires_at ?? null),
    session:
      message.type === 'session_started'
        ? 'open'
        : message.type === 'session_ended'
          ? 'ended'
          : (existing?.session ?? 'unknown'),
    assignee: existing?.assignee ?? null,
    assigned_at: existing?.assigned_at ?? null,
    status: existing?.status ?? 'open',
  };
}

export function inboxReducer(state: InboxState, action: InboxAction): InboxState {
  switch (action.type) {
    case 'conversations': {
      const conversations = { ...state.conversations };
      for (const conversation of action.frame.conversations) conversations[conversation.wa_id] = conversation;
      return { ...state, conversations };
    }
    case 'history': {
      const { wa_id, messages, next_before } = action.frame;
      // Merged, never replaced: a message pushed while its conversation's history was being read can be newer
      // than what the store group had written to Mongo when the history was read.
      const merged = messages.reduce(upsert, state.messages[wa_id] ?? []);
      return {
        ...state,
        messages: { ...state.messages, [wa_id]: merged },
        olderCursor: { ...state.olderCursor, [wa_id]: next_before },
      };
    }
    case 'pushed': {
      const { message, conversation } = action.frame;
      // Kept even before the conversation's history is loaded: the push can beat the store group to Mongo, so
      // the history read when the operator opens the conversation a moment later may not have it yet.
      const messages = { ...state.messages, [message.wa_id]: upsert(state.messages[message.wa_id], message) };
      return {
        ...state,
        messages,
        conversations: { ...state.conversations, [message.wa_id]: touch(state, message, conversation) },
      };
    }
    case 'status': {
      const { wa_id, message_id, wamid, status, error } = action.frame;
      const list = state.messages[wa_id];
      if (!list) return state;
      const next = list.map((item) =>
        (message_id && item.id === message_id) || (wamid && item.wamid === wamid)
          ? {
              ...item,
              status: laterStatus(item.status, status),
              ...(wamid ? { wamid } : {}),
              ...(error ? { error } : {}),
            }
          : item,
      );
      return { ...state, messages: { ...state.messages, [wa_id]: next } };
    }
    case 'media_stored': {
      const { wa_id, wamid, media_id, size, mime_type } = action.frame;
      const list = state.messages[wa_id];
      if (!list) return state;
      const next = list.map((item) =>
        item.wamid === wamid && item.media?.id === media_id
          ? { ...item, media: { ...item.media, size, ...(mime_type ? { mime_type } : {}) } }
          : item,
      );
      return { ...state, messages: { ...state.messages, [wa_id]: next } };
    }
    case 'reply': {
      const { message } = action;
      return {
        ...state,
        messages: { ...state.messages, [message.wa_id]: upsert(state.messages[message.wa_id], message) },
        conversations: { ...state.conversations, [message.wa_id]: touch(state, message, undefined) },
      };
    }
    case 'read': {
      const conversation = state.conversations[action.waId];
      if (!conversation) return state;
      return {
        ...state,
        conversations: { ...state.conversations, [action.waId]: { ...conversation, unread_count: 0 } },
      };
    }
    case 'moved':
      return moveConversation(state, action.from, action.to);
    case 'assignment': {
      const { wa_id, assignee, assigned_at } = action.frame;
      return patch(state, wa_id, { assignee, assigned_at });
    }
    case 'conversation_status': {
      const { wa_id, status, assignee } = action.frame;
      return patch(state, wa_id, { status, assignee });
    }
    case 'select':
      return { ...state, selected: action.waId };
  }
}

/** News about a conversation this tab knows (one it does not know comes with the next list or message). */
function patch(state: InboxState, waId: string, change: Partial<OperatorConversation>): InboxState {
  const conversation = state.conversations[waId];
  if (!conversation) return state;
  return { ...state, conversations: { ...state.conversations, [waId]: { ...conversation, ...change } } };
}

/** The user's key changed: one conversation under the new key, history merged, still selected if it was. */
function moveConversation(state: InboxState, from: string, to: string): InboxState {
  if (from === to) return state;
  const { [from]: old, ...conversations } = state.conversations;
  const { [from]: oldMessages, ...messages } = state.messages;
  const { [from]: _cursor, ...olderCursor } = state.olderCursor;
  const current = conversations[to];
  if (old || current) {
    const latest =
      current && old && time(old.last_activity_at) > time(current.last_activity_at) ? old : current;
    conversations[to] = { ...old, ...current, ...latest, wa_id: to } as OperatorConversation;
  }
  if (oldMessages || messages[to])
    messages[to] = (oldMessages ?? []).map((m) => ({ ...m, wa_id: to })).reduce(upsert, messages[to] ?? []);
  return { conversations, messages, olderCursor, selected: state.selected === from ? to : state.selected };
}

/** The inbox order: most recent activity first. */
export function sortedConversations(state: InboxState): OperatorConversation[] {
  return Object.values(state.conversations).sort(
    (a, b) => time(b.last_activity_at) - time(a.last_activity_at),
  );
}

/** Whether a status frame names a reply this tab has not loaded (sent from another tab or instance). */
export function isUnknownReply(state: InboxState, frame: ServerFrameOf<'status'>): boolean {
  const list = state.messages[frame.wa_id];
  if (!list) return false;
  return !list.some((item) => item.id === frame.message_id || (frame.wamid && item.wamid === frame.wamid));
}
