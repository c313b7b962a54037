import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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

export type NotificationRow = typeof notifications.$inferSelect;
export type RecipientRow = typeof recipients.$inferSelect;
