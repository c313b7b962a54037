import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
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

/**
 * Every WABA's message templates as Meta lists them (issue 19), one row per name and language. Meta's id is
 * unique too (a re-created template gets a new one). `parameters` is `templateParameterSpec(components)`. A
 * template Meta no longer lists, or deleted through the API, stays with `status = 'DELETED'`.
 */
export const messageTemplates = pgTable(
  'message_templates',
  {
    wabaId: text('waba_id').notNull(),
    name: text('name').notNull(),
    language: text('language').notNull(),
    id: text('id').notNull(),
    category: text('category').notNull(),
    status: text('status').notNull(),
    quality: text('quality').notNull().default('UNKNOWN'),
    reason: text('reason'),
    parameterFormat: text('parameter_format').notNull().default('POSITIONAL'),
    components: jsonb('components').notNull(),
    parameters: jsonb('parameters').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.wabaId, table.name, table.language] }),
    index('message_templates_id_idx').on(table.id),
    index('message_templates_status_idx').on(table.wabaId, table.status),
  ],
);

export type MessageTemplateRow = typeof messageTemplates.$inferSelect;

/**
 * What each send cost (issue 19 §5), one row per wamid, folded from the router's `message-costs` records by
 * `foldCostEvent` (domain/message-cost.ts): the send (agent, origin, kind, template; null until its `sent`
 * record) and Meta's pricing of its earliest status (null until one). `reported_at` is the time whose UTC day
 * the report counts it in (`sent_at`, or `priced_at` while the send record is missing).
 */
export const messageCosts = pgTable(
  'message_costs',
  {
    wamid: text('wamid').primaryKey(),
    phoneNumberId: text('phone_number_id').notNull(),
    agentId: text('agent_id'),
    origin: text('origin'),
    messageType: text('message_type'),
    templateName: text('template_name'),
    templateLanguage: text('template_language'),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
    pricedAt: timestamp('priced_at', { withTimezone: true, mode: 'date' }),
    pricingModel: text('pricing_model'),
    category: text('category'),
    pricingType: text('pricing_type'),
    /** Meta's deprecated `billable` flag as received; `billable` is the decision (`isBillable`). */
    metaBillable: boolean('meta_billable'),
    billable: boolean('billable'),
    reportedAt: timestamp('reported_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('message_costs_reported_at_idx').on(table.reportedAt)],
);

export type MessageCostRow = typeof messageCosts.$inferSelect;
