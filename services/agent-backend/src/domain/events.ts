import type { OperatorMessage, OperatorMessageStatus } from '@wa-broker/shared/operator-protocol';

/** What an event changes on the user's conversation besides its messages. */
export interface ConversationTouch {
  wa_id: string;
  name?: string;
  user_id?: string;
  username?: string;
  /** The phone, when Meta shares it. */
  phone?: string;
  phone_number_id?: string;
  display_phone_number?: string;
  /** The router's current view of the window; only ever moves later. */
  window_expires_at: string | null;
  /** Set when the event is activity the list should sort by. */
  activity_at?: string;
  session?: { state: 'open' | 'ended'; at: string };
}

/** A delivery status for one of our replies. */
export interface StatusChange {
  wa_id: string;
  /** The reply's idempotency key, when the router echoes it. */
  message_id?: string;
  wamid?: string;
  status: OperatorMessageStatus;
  error?: NonNullable<OperatorMessage['error']>;
  timestamp: string;
}

/** The media service stored the file of the inbound message `wamid`: what it learnt of it. */
export interface MediaStoredChange {
  wa_id: string;
  wamid: string;
  media_id: string;
  size: number;
  mime_type?: string;
}

/** The effect of one `-in` or `-error` event: a message to store, a status to apply, or both. */
export interface EventPlan {
  mediaStored?: MediaStoredChange;
  /** The user's key changed: the conversation and its history move from `from` to `to` first. */
  moved?: { from: string; to: string };
  message?: OperatorMessage;
  status?: StatusChange;
  conversation: ConversationTouch;
}
