import type { NotificationEvent, RecipientStatus, TemplateComponent } from '@wa-broker/shared/notifications';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { notifications, recipients } from '../db/schema.js';
import type { OwedSend } from '../domain/ports.js';
import type { RecipientState } from '../domain/recipient-status.js';

/** The dispatcher's outbox read: owed (attempt not yet published), still queued, due, locked for this round. */
export async function dispatchOwed(
  db: Database,
  now: Date,
  limit: number,
  publish: (owed: OwedSend[]) => Promise<void>,
): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({
        id: recipients.id,
        notificationId: recipients.notificationId,
        attempt: recipients.attempt,
        to: recipients.to,
        components: recipients.components,
        name: notifications.templateName,
        language: notifications.language,
      })
      .from(recipients)
      .innerJoin(notifications, eq(notifications.id, recipients.notificationId))
      .where(
        and(
          eq(recipients.status, 'queued'),
          sql`${recipients.dispatchedAttempt} < ${recipients.attempt}`,
          sql`(${notifications.sendAt} is null or ${notifications.sendAt} <= ${now})`,
        ),
      )
      .orderBy(recipients.notificationId, recipients.position)
      .limit(limit)
      .for('update', { of: recipients, skipLocked: true });
    if (rows.length === 0) return 0;
    await publish(
      rows.map((r) => ({
        notificationId: r.notificationId,
        recipientId: r.id,
        attempt: r.attempt,
        to: r.to,
        template: {
          name: r.name,
          language: { policy: 'deterministic', code: r.language },
          components: r.components as TemplateComponent[],
        },
      })),
    );
    await tx
      .update(recipients)
      .set({ dispatchedAttempt: recipients.attempt })
      .where(
        inArray(
          recipients.id,
          rows.map((r) => r.id),
        ),
      );
    return rows.length;
  });
}

/**
 * Applies router events in order. Rows are locked while deciding, so two consumers (a rebalance overlap)
 * cannot apply stale decisions; an event the rule refuses (older attempt, backwards move) changes nothing.
 */
export async function applyEvents(
  db: Database,
  events: readonly NotificationEvent[],
  decide: (current: RecipientState, event: NotificationEvent) => boolean,
): Promise<number> {
  const ids = [...new Set(events.map((e) => e.recipient_id))].filter(isUuid);
  if (ids.length === 0) return 0;
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: recipients.id, status: recipients.status, attempt: recipients.attempt })
      .from(recipients)
      .where(inArray(recipients.id, ids))
      .orderBy(recipients.id)
      .for('update');
    const state = new Map(
      rows.map((r) => [r.id, { status: r.status as RecipientStatus, attempt: r.attempt }]),
    );
    let applied = 0;
    for (const event of events) {
      const current = state.get(event.recipient_id);
      if (!current || !decide(current, event)) continue;
      state.set(event.recipient_id, { status: event.status, attempt: event.attempt });
      await tx
        .update(recipients)
        .set({
          status: event.status,
          statusAt: new Date(event.at),
          ...(event.wamid ? { wamid: event.wamid } : {}),
          ...(event.error
            ? {
                errorCode: event.error.code,
                errorTitle: event.error.title,
                errorDetails: event.error.details ?? null,
              }
            : {}),
        })
        .where(eq(recipients.id, event.recipient_id));
      applied++;
    }
    return applied;
  });
}

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
