import { sql } from 'drizzle-orm';
import { bigint, boolean, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

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
