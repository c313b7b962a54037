import type { AgentChangeType } from '@wa-broker/shared/agents';
import type { NumberChangeEvent } from '@wa-broker/shared/business-numbers';
import type { Agent, AgentDraft } from './agent.js';
import type { BusinessNumber, NumberDraft } from './business-number.js';

/** `created`/`updated`/`deleted` follow an API call; `snapshot` is the republish of every number. */
export type NumberChangeType = NumberChangeEvent['type'];

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

export interface NumberQuery {
  active?: boolean;
  wabaId?: string;
  offset: number;
  limit: number;
}

export interface NumberStore {
  list(query: NumberQuery): Promise<{ numbers: BusinessNumber[]; total: number }>;
  get(phoneNumberId: string): Promise<BusinessNumber | null>;
  /** Throws `number_exists` when the phone_number_id is taken (a race the service's check could not see). */
  insert(draft: NumberDraft, now: Date): Promise<BusinessNumber>;
  /** Null when the phone_number_id is unknown. */
  update(phoneNumberId: string, draft: NumberDraft, now: Date): Promise<BusinessNumber | null>;
  all(): Promise<BusinessNumber[]>;
  /** The ids among `ids` that name an agent, active or not. */
  existingAgentIds(ids: readonly number[]): Promise<number[]>;
}

/** Publishes a number's full state on the compacted number-changes topic; resolves once Kafka acknowledged. */
export interface NumberChangePublisher {
  publish(
    changes: ReadonlyArray<{ type: NumberChangeType; number: BusinessNumber }>,
    now: Date,
  ): Promise<void>;
}
