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
    // The batch's accepted events folded per recipient (later ones win, a wamid or an error once set stays),
    // then written in one statement: as if each had been written in turn.
    const patches = new Map<string, RecipientPatch>();
    let applied = 0;
    for (const event of events) {
      const current = state.get(event.recipient_id);
      if (!current || !decide(current, event)) continue;
      state.set(event.recipient_id, { status: event.status, attempt: event.attempt });
      const earlier = patches.get(event.recipient_id);
      patches.set(event.recipient_id, {
        id: event.recipient_id,
        status: event.status,
        statusAt: new Date(event.at).toISOString(),
        wamid: event.wamid || earlier?.wamid || null,
        error: event.error
          ? { code: event.error.code, title: event.error.title, details: event.error.details ?? null }
          : (earlier?.error ?? null),
      });
      applied++;
    }
    if (patches.size > 0) await tx.execute(updateRecipients([...patches.values()]));
    return applied;
  });
}

interface RecipientPatch {
  id: string;
  status: string;
  statusAt: string;
  /** Null: the row keeps its wamid. */
  wamid: string | null;
  /** Null: the row keeps its error. */
  error: { code: number; title: string; details: string | null } | null;
}

/** One UPDATE … FROM (VALUES …) for every patched recipient of a batch. */
function updateRecipients(patches: readonly RecipientPatch[]) {
  const rows = patches.map(
    (p) =>
      sql`(${p.id}::uuid, ${p.status}::text, ${p.statusAt}::timestamptz, ${p.wamid}::text, ${p.error !== null}::boolean, ${p.error?.code ?? null}::integer, ${p.error?.title ?? null}::text, ${p.error?.details ?? null}::text)`,
  );
  return sql`update ${recipients} as r set
    status = v.status,
    status_at = v.status_at,
    wamid = coalesce(v.wamid, r.wamid),
    error_code = case when v.has_error then v.error_code else r.error_code end,
    error_title = case when v.has_error then v.error_title else r.error_title end,
    error_details = case when v.has_error then v.error_details else r.error_details end
    from (values ${sql.join(rows, sql`, `)})
      as v(id, status, status_at, wamid, has_error, error_code, error_title, error_details)
    where r.id = v.id`;
}

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
