import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import type {
  OperatorConversation,
  OperatorMessage,
  OperatorMessageStatus,
} from '@wa-broker/shared/operator-protocol';
import type { ConversationTouch, StatusChange } from './events.js';

export interface Page {
  limit: number;
  /** Opaque cursor from the previous page's `nextBefore`. */
  before?: string;
}

export interface MessageStore {
  /** Stores the message unless one with its id or wamid exists; true when it was new. */
  insert(message: OperatorMessage): Promise<boolean>;
  /** Applies the change only to a reply whose status is one of `from`; true when a reply changed. */
  applyStatus(change: StatusChange, from: readonly OperatorMessageStatus[]): Promise<boolean>;
  latest(waId: string): Promise<OperatorMessage | null>;
  countUnseen(waId: string): Promise<number>;
  markSeen(waId: string): Promise<void>;
  /** Newest page first in the query, returned oldest first. */
  history(waId: string, page: Page): Promise<{ messages: OperatorMessage[]; nextBefore: string | null }>;
}

export interface ConversationStore {
  /** Creates the conversation if needed; times and the window only move forward. */
  touch(touch: ConversationTouch): Promise<void>;
  summarize(waId: string, lastMessage: OperatorMessage | null, unreadCount: number): Promise<void>;
  get(waId: string): Promise<OperatorConversation | null>;
  list(page: Page): Promise<{ conversations: OperatorConversation[]; nextBefore: string | null }>;
}

export interface OutboundPort {
  /** Resolves once Kafka has the message. */
  publish(message: AgentOutboundMessage): Promise<void>;
}
