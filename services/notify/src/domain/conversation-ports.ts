import type { ConversationEvent } from './conversation-event.js';
import type { ConversationState } from './conversation-state.js';

export interface ConversationSummary {
  userKey: string;
  userName: string | null;
  state: ConversationState;
  agent: string | null;
  events: number;
  firstActivityAt: Date;
  lastActivityAt: Date;
}

export interface ConversationFilter {
  state?: ConversationState;
  /** The agent's id, plus the ids an agent name resolved to. */
  agentIds?: string[];
  page: number;
  pageSize: number;
}

export type StoredConversationEvent = Omit<ConversationEvent, 'userName'> & { seq: number };

/** The call-event log (adapters/conversation-log.postgres.ts). */
export interface ConversationLog {
  /** Stores each event id once; returns how many were new. */
  append(events: readonly ConversationEvent[]): Promise<number>;
  list(filter: ConversationFilter): Promise<{ total: number; items: ConversationSummary[] }>;
  get(userKey: string): Promise<ConversationSummary | undefined>;
  events(userKey: string): Promise<StoredConversationEvent[]>;
}
