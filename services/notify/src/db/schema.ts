import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One POSTed notification: a template sent to one or many recipients, now or at `send_at`. */
export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey(),
  /** The caller's key: a second POST with it returns this notification instead of creating one. */
  idempotencyKey: text('idempotency_key').unique(),
  /** sha256 of the request, so a reused key with a different body is refused (409). */
  requestHash: text('request_hash').notNull(),
  templateName: text('template_name').notNull(),
  language: text('language').notNull(),
  sendAt: at('send_at'),
  cancelledAt: at('cancelled_at'),
  createdAt: at('created_at').notNull().defaultNow(),
});

/**
 * One recipient of a notification. `attempt` grows with each resend; `dispatched_attempt` is the last attempt
 * published to Kafka (the dispatcher's outbox marker: below `attempt` means a send request is still owed).
 */
export const recipients = pgTable(
  'notification_recipients',
  {
    id: uuid('id').primaryKey(),
    notificationId: uuid('notification_id')
      .notNull()
      .references(() => notifications.id),
    position: integer('position').notNull(),
    to: text('to').notNull(),
    components: jsonb('components').notNull(),
    status: text('status').notNull(),
    attempt: integer('attempt').notNull().default(1),
    dispatchedAttempt: integer('dispatched_attempt').notNull().default(0),
    wamid: text('wamid'),
    errorCode: integer('error_code'),
    errorTitle: text('error_title'),
    errorDetails: text('error_details'),
    statusAt: at('status_at').notNull().defaultNow(),
  },
  (table) => [
    index('recipients_notification_idx').on(table.notificationId, table.position),
    index('recipients_owed_idx').on(table.status, table.dispatchedAttempt),
  ],
);

/**
 * The call-event log: every inbound, outbound, status and session event of a user's conversation, once each
 * (`event_id` is derived from the fact: a wamid, wamid + status, the router's session event id, the agent's
 * idempotency key). Read in the order the broker saw them: `observed_at` (ms), then `seq` (arrival at notify);
 * `occurred_at` is Meta's second, shown (domain/conversation-event.ts says why it cannot order).
 */
export const conversationEvents = pgTable(
  'conversation_events',
  {
    eventId: text('event_id').primaryKey(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    userKey: text('user_key').notNull(),
    kind: text('kind').notNull(),
    occurredAt: at('occurred_at').notNull(),
    observedAt: at('observed_at').notNull(),
    agent: text('agent'),
    wamid: text('wamid'),
    type: text('type').notNull(),
    text: text('text'),
    detail: jsonb('detail'),
    source: text('source').notNull(),
  },
  (table) => [index('conversation_events_order_idx').on(table.userKey, table.observedAt, table.seq)],
);

/** One row per user, recomputed from the log after each batch: the list's filters and sort. */
export const conversations = pgTable(
  'conversations',
  {
    userKey: text('user_key').primaryKey(),
    userName: text('user_name'),
    state: text('state').notNull(),
    agent: text('agent'),
    events: integer('events').notNull(),
    firstActivityAt: at('first_activity_at').notNull(),
    lastActivityAt: at('last_activity_at').notNull(),
  },
  (table) => [
    index('conversations_activity_idx').on(table.lastActivityAt),
    index('conversations_state_idx').on(table.state, table.lastActivityAt),
    index('conversations_agent_idx').on(table.agent, table.lastActivityAt),
  ],
);

export type NotificationRow = typeof notifications.$inferSelect;
export type RecipientRow = typeof recipients.$inferSelect;
