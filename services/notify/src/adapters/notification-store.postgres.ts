import type { RecipientStatus, TemplateComponent } from '@wa-broker/shared/notifications';
import { and, asc, count, desc, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { type NotificationRow, notifications, type RecipientRow, recipients } from '../db/schema.js';
import type {
  ListFilter,
  NotificationStore,
  NotificationSummary,
  OwedSend,
  RecipientView,
} from '../domain/ports.js';
import {
  countStatuses,
  emptyCounts,
  type NotificationState,
  type StatusCounts,
} from '../domain/recipient-status.js';
import { applyEvents, dispatchOwed } from './recipient-updates.postgres.js';

const hasRecipient = (status: SQL) =>
  sql`exists (select 1 from ${recipients} r where r.notification_id = ${notifications.id} and ${status})`;

function stateCondition(state: NotificationState, now: Date): SQL {
  const queued = hasRecipient(sql`r.status = 'queued'`);
  const due = sql`(${notifications.sendAt} is null or ${notifications.sendAt} <= ${now})`;
  const left = hasRecipient(sql`r.status in ('sent','delivered','read','failed')`);
  if (state === 'scheduled') return sql`${queued} and not ${due}`;
  if (state === 'sending') return sql`${queued} and ${due}`;
  const cancelled = sql`${notifications.cancelledAt} is not null and not ${left}`;
  return state === 'cancelled'
    ? sql`not ${queued} and ${cancelled}`
    : sql`not ${queued} and not (${cancelled})`;
}

function whereOf(filter: ListFilter, now: Date): SQL | undefined {
  return and(
    filter.template ? eq(notifications.templateName, filter.template) : undefined,
    filter.createdAfter ? gte(notifications.createdAt, filter.createdAfter) : undefined,
    filter.createdBefore ? lte(notifications.createdAt, filter.createdBefore) : undefined,
    filter.state ? stateCondition(filter.state, now) : undefined,
  );
}

export const toRecipientView = (row: RecipientRow): RecipientView => ({
  id: row.id,
  to: row.to,
  status: row.status as RecipientStatus,
  attempt: row.attempt,
  wamid: row.wamid,
  error:
    row.errorCode === null
      ? null
      : {
          code: row.errorCode,
          title: row.errorTitle ?? '',
          ...(row.errorDetails ? { details: row.errorDetails } : {}),
        },
  statusAt: row.statusAt,
});

const toSummary = (row: NotificationRow, counts: StatusCounts): NotificationSummary => ({
  id: row.id,
  idempotencyKey: row.idempotencyKey,
  templateName: row.templateName,
  language: row.language,
  sendAt: row.sendAt,
  cancelledAt: row.cancelledAt,
  createdAt: row.createdAt,
  counts,
});

const isUniqueViolation = (error: unknown) => {
  const pgError = (error as { cause?: { code?: string } }).cause ?? error;
  return (pgError as { code?: string }).code === '23505';
};

export function createNotificationStore(db: Database): NotificationStore {
  async function countsOf(ids: string[]): Promise<Map<string, StatusCounts>> {
    const result = new Map(ids.map((id) => [id, emptyCounts()]));
    if (ids.length === 0) return result;
    const rows = await db
      .select({ id: recipients.notificationId, status: recipients.status, n: count() })
      .from(recipients)
      .where(inArray(recipients.notificationId, ids))
      .groupBy(recipients.notificationId, recipients.status);
    for (const row of rows) {
      const counts = result.get(row.id);
      if (!counts) continue;
      counts[row.status as RecipientStatus] = row.n;
      counts.total += row.n;
    }
    return result;
  }

  return {
    async insert(n) {
      try {
        await db.transaction(async (tx) => {
          await tx.insert(notifications).values({
            id: n.id,
            idempotencyKey: n.idempotencyKey,
            requestHash: n.requestHash,
            templateName: n.templateName,
            language: n.language,
            sendAt: n.sendAt,
          });
          // Chunks keep each statement under PostgreSQL's 65,535 bind parameters.
          for (let i = 0; i < n.recipients.length; i += 1000)
            await tx
              .insert(recipients)
              .values(
                n.recipients
                  .slice(i, i + 1000)
                  .map((r) => ({ ...r, notificationId: n.id, status: 'queued' })),
              );
        });
        return 'created';
      } catch (error) {
        if (n.idempotencyKey && isUniqueViolation(error)) return 'existing';
        throw error;
      }
    },

    async findByIdempotencyKey(key) {
      const [row] = await db
        .select({ id: notifications.id, requestHash: notifications.requestHash })
        .from(notifications)
        .where(eq(notifications.idempotencyKey, key));
      return row ?? null;
    },

    async get(id) {
      const [row] = await db.select().from(notifications).where(eq(notifications.id, id));
      if (!row) return null;
      const rows = await db
        .select()
        .from(recipients)
        .where(eq(recipients.notificationId, id))
        .orderBy(asc(recipients.position));
      // Counted from the same rows: a second query could see statuses that moved since (read 2, shown delivered).
      const counts = countStatuses(rows.map((r) => r.status as RecipientStatus));
      return { ...toSummary(row, counts), recipients: rows.map(toRecipientView) };
    },

    async list(filter, now) {
      const where = whereOf(filter, now);
      const [rows, totals] = await Promise.all([
        db
          .select()
          .from(notifications)
          .where(where)
          .orderBy(desc(notifications.createdAt), asc(notifications.id))
          .offset(filter.offset)
          .limit(filter.limit),
        db.select({ total: count() }).from(notifications).where(where),
      ]);
      const counts = await countsOf(rows.map((r) => r.id));
      return {
        items: rows.map((r) => toSummary(r, counts.get(r.id) ?? emptyCounts())),
        total: totals[0]?.total ?? 0,
      };
    },

    async cancel(id, now) {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(notifications)
          .set({ cancelledAt: sql`coalesce(${notifications.cancelledAt}, ${now})` })
          .where(eq(notifications.id, id))
          .returning();
        if (!row) return null;
        const cancelled = await tx
          .update(recipients)
          .set({ status: 'cancelled', statusAt: now })
          .where(and(eq(recipients.notificationId, id), eq(recipients.status, 'queued')))
          .returning();
        return cancelled.map(
          (r): OwedSend => ({
            notificationId: id,
            recipientId: r.id,
            attempt: r.attempt,
            to: r.to,
            template: {
              name: row.templateName,
              language: { code: row.language },
              components: r.components as TemplateComponent[],
            },
          }),
        );
      });
    },

    async resend(id, now) {
      const [row] = await db
        .select({ id: notifications.id })
        .from(notifications)
        .where(eq(notifications.id, id));
      if (!row) return null;
      const resent = await db
        .update(recipients)
        .set({
          status: 'queued',
          attempt: sql`${recipients.attempt} + 1`,
          wamid: null,
          errorCode: null,
          errorTitle: null,
          errorDetails: null,
          statusAt: now,
        })
        .where(and(eq(recipients.notificationId, id), eq(recipients.status, 'failed')))
        .returning({ id: recipients.id });
      return resent.length;
    },

    dispatchOwed: (now, limit, publish) => dispatchOwed(db, now, limit, publish),
    applyEvents: (events, decide) => applyEvents(db, events, decide),
  };
}
