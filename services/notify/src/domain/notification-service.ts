import { createHash, randomUUID } from 'node:crypto';
import { type NotificationEvent, toNotificationEvent } from '@wa-broker/shared/notifications';
import { invalidTemplate, NotifyError, notFound } from './errors.js';
import { type CreateNotificationBody, normalisePhone } from './notification-request.js';
import type {
  CancelMarks,
  ListFilter,
  NotificationBus,
  NotificationDetail,
  NotificationStore,
  OwedSend,
} from './ports.js';
import { notificationState, shouldApply } from './recipient-status.js';
import { type NotificationTemplates, notificationTemplateProblems } from './template-check.js';
import { toComponents } from './template-components.js';

export interface ServiceDeps {
  store: NotificationStore;
  bus: NotificationBus;
  cancelMarks: CancelMarks;
  now: () => Date;
  /** Asks the dispatcher to run now instead of at its next tick. */
  nudge: () => void;
  /** The notifications' WABA's templates (the admin's store), checked before anything is queued. */
  templates: NotificationTemplates;
}

const withState = <T extends NotificationDetail | Omit<NotificationDetail, 'recipients'>>(
  n: T,
  now: Date,
): T => ({
  ...n,
  state: notificationState(n, n.counts, now),
});

/** The notifications' use cases; HTTP and Kafka are the callers' business. */
export function createNotificationService(deps: ServiceDeps) {
  const get = async (id: string) => {
    const found = await deps.store.get(id);
    if (!found) throw notFound(id);
    return withState(found, deps.now());
  };

  return {
    get,

    /** Creates the notification (or returns the one with the same idempotency key); `created` says which. */
    async create(
      body: CreateNotificationBody,
    ): Promise<{ created: boolean; notification: NotificationDetail }> {
      const problems = notificationTemplateProblems(body, deps.templates);
      if (problems.length > 0) throw invalidTemplate(problems);
      const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
      const key = body.idempotency_key ?? null;
      const existing = key ? await deps.store.findByIdempotencyKey(key) : null;
      if (existing) return { created: false, notification: await sameRequest(existing, requestHash) };
      const id = randomUUID();
      const outcome = await deps.store.insert({
        id,
        idempotencyKey: key,
        requestHash,
        templateName: body.template.name,
        language: body.template.language,
        sendAt: body.send_at ? new Date(body.send_at) : null,
        recipients: body.recipients.map((r, position) => ({
          id: randomUUID(),
          position,
          to: normalisePhone(r.to),
          components: toComponents(r.parameters),
        })),
      });
      if (outcome === 'existing' && key) {
        // A concurrent POST with the same key won the insert.
        const winner = await deps.store.findByIdempotencyKey(key);
        if (winner) return { created: false, notification: await sameRequest(winner, requestHash) };
      }
      deps.nudge();
      return { created: true, notification: await get(id) };
    },

    list: async (filter: ListFilter) => {
      const now = deps.now();
      const page = await deps.store.list(filter, now);
      return { ...page, items: page.items.map((n) => withState(n, now)) };
    },

    /** Cancels what has not been sent: the router is told first, so nothing queued leaves after the answer. */
    async cancel(id: string) {
      await deps.cancelMarks.mark(id);
      const cancelled = await deps.store.cancel(id, deps.now());
      if (!cancelled) throw notFound(id);
      await deps.bus.publishEvents(cancelled.map((r) => event(r, 'cancelled', deps.now())));
      return get(id);
    },

    /** Queues the failed recipients again, each as a new attempt; delivered and read ones are never touched. */
    async resend(id: string) {
      const count = await deps.store.resend(id, deps.now());
      if (count === null) throw notFound(id);
      if (count > 0) deps.nudge();
      return { resent: count, notification: await get(id) };
    },

    /** One dispatcher round: publishes owed send requests and their `queued` events; returns how many. */
    dispatch(limit: number): Promise<number> {
      const now = deps.now();
      return deps.store.dispatchOwed(now, limit, async (owed) => {
        await deps.bus.publishSends(
          owed.map((o) => ({
            v: 1,
            notification_id: o.notificationId,
            recipient_id: o.recipientId,
            attempt: o.attempt,
            to: o.to,
            template: o.template,
            requested_at: now.toISOString(),
          })),
        );
        await deps.bus.publishEvents(owed.map((o) => event(o, 'queued', now)));
      });
    },

    /** Records the router's status changes; notify's own events (queued, cancelled) are already stored. */
    applyEvents(events: readonly NotificationEvent[]): Promise<number> {
      const fromRouter = events.filter((e) => e.source === 'router');
      return deps.store.applyEvents(fromRouter, shouldApply);
    },
  };

  async function sameRequest(existing: { id: string; requestHash: string }, requestHash: string) {
    if (existing.requestHash !== requestHash)
      throw new NotifyError(
        'idempotency_conflict',
        `idempotency key already used by notification ${existing.id} with a different request`,
      );
    return get(existing.id);
  }
}

export type NotificationService = ReturnType<typeof createNotificationService>;

function event(o: OwedSend, status: 'queued' | 'cancelled', at: Date): NotificationEvent {
  return toNotificationEvent({
    notification_id: o.notificationId,
    recipient_id: o.recipientId,
    attempt: o.attempt,
    to: o.to,
    status,
    at: at.toISOString(),
    source: 'notify',
  });
}
