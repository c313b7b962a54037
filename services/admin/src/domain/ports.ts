import type { AgentChangeType, AgentKafkaCredential } from '@wa-broker/shared/agents';
import type { NumberChangeEvent } from '@wa-broker/shared/business-numbers';
import type {
  MessageTemplateRecord,
  TemplateCategory,
  TemplateStatus,
} from '@wa-broker/shared/message-templates';
import type { SendOrigin } from '@wa-broker/shared/pricing';
import type { Agent, AgentDraft } from './agent.js';
import type { BusinessNumber, NumberDraft } from './business-number.js';
import type { CostReportRow, MessageCost } from './message-cost.js';
import type { GraphFailure, GraphTemplate, NewTemplate, TemplateChange } from './template.js';

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

/**
 * An agent's access to the bus (issue 24): its own SCRAM credential and ACLs, plus what the router, media and
 * notify need on its topics. Every call is idempotent.
 */
export interface AgentAccessManager {
  /** Creates the credential (or replaces its secret) and grants the agent's rights; the secret is returned once. */
  issue(agent: Agent): Promise<AgentKafkaCredential>;
  /** Grants the rights of these agents again without touching their credentials (start, resync). */
  grant(agents: readonly Agent[]): Promise<void>;
  /** The agent's topics changed: its rights (and the services') move to the new ones; the credential stays. */
  move(before: Agent, after: Agent): Promise<void>;
  /** Deletes the agent's credential and every right of its principal (the services keep theirs on its topics). */
  revoke(agent: Agent): Promise<void>;
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

export interface TemplateQuery {
  wabaId?: string;
  name?: string;
  language?: string;
  status?: TemplateStatus;
  category?: TemplateCategory;
}

/** The `message_templates` table, one row per WABA, name and language. */
export interface TemplateStore {
  list(query: TemplateQuery): Promise<MessageTemplateRecord[]>;
  /** The template of Meta's id, if stored. */
  byId(id: string): Promise<MessageTemplateRecord | null>;
  /** Inserts or replaces each record by (waba_id, name, language). */
  upsert(templates: readonly MessageTemplateRecord[]): Promise<void>;
}

/** Publishes templates' full state on the compacted template-changes topic; resolves once Kafka acknowledged. */
export interface TemplateChangePublisher {
  publish(changes: readonly TemplateChange[], now: Date): Promise<void>;
}

export type GraphResult<T> = { ok: true; value: T } | { ok: false; failure: GraphFailure };

/** Meta's template endpoints of one WABA (`/{waba-id}/message_templates`), with a number's token. */
export interface GraphTemplates {
  /** Every page of the listing; a failure on any page fails the whole listing. */
  list(wabaId: string, token: string): Promise<GraphResult<GraphTemplate[]>>;
  create(
    wabaId: string,
    token: string,
    input: NewTemplate,
  ): Promise<GraphResult<{ id: string; status?: string | undefined; category?: string | undefined }>>;
  /** By name (every language), or one language's template when `hsmId` is given. */
  remove(wabaId: string, token: string, name: string, hsmId?: string): Promise<GraphResult<void>>;
}

/** The WABAs of the active business numbers and a Graph token for each. */
export interface WabaTokens {
  wabaIds(): Promise<string[]>;
  /** The token of an active number of that WABA that opens; null when it has none. */
  tokenFor(wabaId: string): Promise<string | null>;
}

/** The report's filters over a period (`end` excluded). */
export interface CostQuery {
  start: Date;
  end: Date;
  agentId?: string;
  origin?: SendOrigin;
  category?: string;
}

/** The `message_costs` table, one row per wamid. */
export interface CostStore {
  /**
   * Reads each wamid's row under a lock, writes `change(wamid, row)` unless it returns the row itself, and commits
   * them together (a consumed batch: one transaction): `before` is what no other change saw, so counting on it
   * counts each wamid once. One `{ wamid, before, after }` per wamid, in the given order.
   */
  updateAll(
    wamids: readonly string[],
    change: (wamid: string, row: MessageCost | null) => MessageCost,
  ): Promise<{ wamid: string; before: MessageCost | null; after: MessageCost }[]>;
  /** Messages and billable messages by UTC day, agent (with its name), origin and category. */
  report(query: CostQuery): Promise<CostReportRow[]>;
}
