import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * The agents users can reach. Deletion is soft (`active = false`) so the router can be told, and so ids stay
 * stable. Names and topics are unique among active agents only: a deleted agent's name can be reused.
 */
export const agents = pgTable(
  'agents',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    description: text('description').notNull().default(''),
    readTopic: text('read_topic').notNull(),
    writeTopic: text('write_topic').notNull(),
    errorTopic: text('error_topic').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('agents_active_name_key').on(table.name).where(sql`${table.active}`),
    uniqueIndex('agents_active_read_topic_key').on(table.readTopic).where(sql`${table.active}`),
    uniqueIndex('agents_active_write_topic_key').on(table.writeTopic).where(sql`${table.active}`),
    uniqueIndex('agents_active_error_topic_key').on(table.errorTopic).where(sql`${table.active}`),
    index('agents_active_idx').on(table.active),
  ],
);

export type AgentRow = typeof agents.$inferSelect;

export const tokenSources = ['stored', 'secret'] as const;
export const throughputTierNames = ['standard', 'high'] as const;

/**
 * The WhatsApp business numbers this deployment serves (issue 17 §2), keyed by Meta's `phone_number_id`.
 * A number's Graph token is either stored sealed (`token_ciphertext`, AES-256-GCM under `NUMBER_TOKEN_KEY`) or
 * named (`token_secret_name`, an environment variable the router reads): exactly one of the two, as
 * `token_source` says. Deletion is soft. `agent_ids` NULL offers every active agent.
 */
export const businessNumbers = pgTable(
  'business_numbers',
  {
    phoneNumberId: text('phone_number_id').primaryKey(),
    wabaId: text('waba_id').notNull(),
    displayPhoneNumber: text('display_phone_number').notNull(),
    name: text('name').notNull(),
    tokenSource: text('token_source', { enum: tokenSources }).notNull(),
    tokenCiphertext: text('token_ciphertext'),
    tokenSecretName: text('token_secret_name'),
    throughputTier: text('throughput_tier', { enum: throughputTierNames }).notNull().default('standard'),
    agentIds: integer('agent_ids').array(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    check(
      'business_numbers_token_check',
      sql`(${table.tokenSource} = 'stored' AND ${table.tokenCiphertext} IS NOT NULL AND ${table.tokenSecretName} IS NULL) OR (${table.tokenSource} = 'secret' AND ${table.tokenSecretName} IS NOT NULL AND ${table.tokenCiphertext} IS NULL)`,
    ),
    check('business_numbers_throughput_tier_check', sql`${table.throughputTier} IN ('standard', 'high')`),
  ],
);

export type BusinessNumberRow = typeof businessNumbers.$inferSelect;
