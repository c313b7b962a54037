import type { AgentChangeType } from '@wa-broker/shared/agents';
import type { Agent, AgentDraft } from './agent.js';

export interface AgentQuery {
  /** Substring of the name; LIKE wildcards in it are matched literally. */
  name?: { contains: string; caseSensitive: boolean };
  active?: boolean;
  offset: number;
  limit: number;
}

export interface AgentStore {
  list(query: AgentQuery): Promise<{ agents: Agent[]; total: number }>;
  get(id: number): Promise<Agent | null>;
  /** Active agents sharing the name or any of the topics (the domain decides what that means). */
  findRivals(name: string, topics: readonly string[]): Promise<Agent[]>;
  /** Inserts, then runs `beforeCommit` in the same transaction: if it throws, nothing is written. */
  insert(draft: AgentDraft, now: Date, beforeCommit: (agent: Agent) => Promise<void>): Promise<Agent>;
  /** Same as insert, for an existing id; null when the id is unknown. */
  update(
    id: number,
    draft: AgentDraft,
    now: Date,
    beforeCommit: (agent: Agent) => Promise<void>,
  ): Promise<Agent | null>;
  all(): Promise<Agent[]>;
}

/** Creates an agent's topics in Kafka; idempotent. */
export interface TopicProvisioner {
  ensureAgentTopics(topics: readonly string[]): Promise<void>;
}

/** Publishes an agent's full state on the compacted agent-changes topic; resolves once Kafka acknowledged. */
export interface AgentChangePublisher {
  publish(changes: ReadonlyArray<{ type: AgentChangeType; agent: Agent }>, now: Date): Promise<void>;
}
