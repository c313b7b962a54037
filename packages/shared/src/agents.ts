import { z } from 'zod';
import { isValidTopicName } from './topics.js';

/** A Kafka topic name (Kafka's own rule: 1–249 of `[a-zA-Z0-9._-]`, not `.` or `..`). */
export const topicName = z
  .string()
  .refine(isValidTopicName, 'must be 1-249 characters of letters, digits, ".", "_" or "-" (not "." or "..")');

/** An agent's display name, shown to users as a menu row. */
export const agentName = z.string().trim().min(1, 'must not be empty').max(200);

/**
 * An agent as the admin service owns it (snake_case, the v2 API's shape and the payload of agent-change events).
 * `read_topic` is what the agent reads (the router writes it), `write_topic` what it writes, as in the original.
 */
export const agentRecord = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  /** `agentSlug(name)` at creation; the base of the default topic names. Stable across renames. */
  slug: z.string(),
  description: z.string(),
  read_topic: z.string(),
  write_topic: z.string(),
  error_topic: z.string(),
  /** False once soft-deleted: the router must stop offering the agent. */
  active: z.boolean(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});
export type AgentRecord = z.infer<typeof agentRecord>;

/**
 * An agent's Kafka credential (issue 24): returned once, when the admin creates, restores or rotates it — the
 * admin keeps no copy. It opens the agent's own topics and groups only (kafka-access.ts `agentGrants`).
 */
export const agentKafkaCredential = z.object({
  username: z.string(),
  password: z.string(),
  mechanism: z.literal('SCRAM-SHA-512'),
  /** Every consumer group of the agent must start with this (`<slug>:`). */
  group_prefix: z.string(),
});
export type AgentKafkaCredential = z.infer<typeof agentKafkaCredential>;

/** An agent with the credential just issued for it (create, restore, rotate); `kafka` is absent when the admin
 * does not manage Kafka access (AGENT_KAFKA_ACCESS=false) or nothing was issued by this call. */
export const agentRecordWithCredential = agentRecord.extend({ kafka: agentKafkaCredential.optional() });
export type AgentRecordWithCredential = z.infer<typeof agentRecordWithCredential>;

/** Body of `POST /api/v2/agents`; missing topics default to `<slug>-in/-out/-error`. */
export const createAgentInput = z.strictObject({
  name: agentName,
  description: z.string().max(2000).optional(),
  read_topic: topicName.optional(),
  write_topic: topicName.optional(),
  error_topic: topicName.optional(),
});
export type CreateAgentInput = z.infer<typeof createAgentInput>;

/** Body of `PATCH /api/v2/agents/:id`; `active: true` restores a soft-deleted agent. */
export const updateAgentInput = z.strictObject({
  name: agentName.optional(),
  description: z.string().max(2000).optional(),
  read_topic: topicName.optional(),
  write_topic: topicName.optional(),
  error_topic: topicName.optional(),
  active: z.boolean().optional(),
});
export type UpdateAgentInput = z.infer<typeof updateAgentInput>;

/**
 * `created`/`updated`/`deleted` follow an API call; `snapshot` is the admin's republish of every agent at start,
 * so the compacted topic converges with PostgreSQL even when an earlier publish failed.
 */
export const agentChangeTypes = ['created', 'updated', 'deleted', 'snapshot'] as const;
export type AgentChangeType = (typeof agentChangeTypes)[number];

/**
 * Admin → router, on the compacted `agent-changes` topic keyed by {@link agentChangeKey}. Each event carries the
 * agent's full current state, so the latest event per key is all a consumer needs (it never reads PostgreSQL).
 * A delete is the record with `active: false`, not a tombstone.
 */
export const agentChangeEvent = z.object({
  v: z.literal(1),
  type: z.enum(agentChangeTypes),
  agent: agentRecord,
  /** When the admin published this event (ISO 8601); `agent.updated_at` is when the state changed. */
  published_at: z.iso.datetime(),
});
export type AgentChangeEvent = z.infer<typeof agentChangeEvent>;

/** The Kafka key of an agent's change events: its id in decimal. */
export const agentChangeKey = (agentId: number): string => String(agentId);
