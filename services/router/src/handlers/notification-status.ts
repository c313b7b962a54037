import { type DeliveryStatus, deliveryStatuses } from '@wa-broker/shared/agent-inbound';
import { isStatusForward } from '@wa-broker/shared/delivery-status';
import { toNotificationEvent } from '@wa-broker/shared/notifications';
import type { StatusEvent, WebhookEvent } from '@wa-broker/shared/webhook-events';
import { metaTimestamp } from '../domain/inbound-message.js';
import type { NotificationSendStore, OutRecord, Publish } from '../domain/ports.js';
import { statusErrors } from '../domain/route-status.js';

export interface NotificationStatusDeps {
  notifications: NotificationSendStore;
  publish: Publish;
  eventsTopic: string;
}

/**
 * Turns the status webhooks of notification sends into notification events. Statuses only move forward per
 * wamid (the last one is kept in Redis), so Meta's redeliveries and a replay of the webhook topic publish
 * nothing twice; statuses of other messages are left to the agents' routing.
 */
export async function handleNotificationStatuses(
  events: readonly WebhookEvent[],
  deps: NotificationStatusDeps,
): Promise<void> {
  const statuses = events.filter(
    (e): e is StatusEvent =>
      e.kind === 'status' && deliveryStatuses.includes(e.item.status as DeliveryStatus),
  );
  if (statuses.length === 0) return;
  const known = await deps.notifications.load([...new Set(statuses.map((e) => e.item.id))]);
  const records: OutRecord[] = [];
  const writes = new Map<string, DeliveryStatus>();
  for (const event of statuses) {
    const entry = known.get(event.item.id);
    const status = event.item.status as DeliveryStatus;
    if (!entry?.ref || !isStatusForward(entry.last, status)) continue;
    entry.last = status;
    writes.set(event.item.id, status);
    const [error] = statusErrors(event.item);
    records.push({
      topic: deps.eventsTopic,
      key: entry.ref.notification_id,
      value: toNotificationEvent({
        ...entry.ref,
        status,
        wamid: event.item.id,
        at: metaTimestamp(event.item.timestamp, new Date(event.received_at)).toISOString(),
        source: 'router',
        ...(error ? { error } : {}),
      }),
    });
  }
  // Published first, remembered after: a crash in between publishes again (same event ids), never loses one.
  await deps.publish(records);
  await deps.notifications.saveStatuses(writes);
}
