import { type DeliveryStatus, deliveryStatuses } from '@wa-broker/shared/agent-inbound';
import { toNotificationEvent } from '@wa-broker/shared/notifications';
import type { StatusEvent, WebhookEvent } from '@wa-broker/shared/webhook-events';
import type { Redis } from 'ioredis';
import type { OutRecord, Publish } from '../adapters/publisher.kafka.js';
import { isStatusForward } from '../domain/delivery-status.js';
import { metaTimestamp } from '../domain/inbound-message.js';
import { type NotificationRef, notifyWamidKey, notifyStatusKey as statusKey } from './notification-send.js';

export interface NotificationStatusDeps {
  redis: Redis;
  keyPrefix: string;
  publish: Publish;
  eventsTopic: string;
  wamidTtlSeconds: number;
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
  const wamids = [...new Set(statuses.map((e) => e.item.id))];
  const values = await deps.redis.mget(
    wamids.flatMap((w) => [notifyWamidKey(deps.keyPrefix, w), statusKey(deps.keyPrefix, w)]),
  );
  const known = new Map(
    wamids.map((w, i) => [
      w,
      { ref: parse(values[i * 2]), last: (values[i * 2 + 1] ?? null) as DeliveryStatus | null },
    ]),
  );
  const records: OutRecord[] = [];
  const writes = new Map<string, DeliveryStatus>();
  for (const event of statuses) {
    const entry = known.get(event.item.id);
    const status = event.item.status as DeliveryStatus;
    if (!entry?.ref || !isStatusForward(entry.last, status)) continue;
    entry.last = status;
    writes.set(event.item.id, status);
    const error = event.item.errors?.[0];
    records.push({
      topic: deps.eventsTopic,
      key: entry.ref.notification_id,
      value: toNotificationEvent({
        ...entry.ref,
        status,
        wamid: event.item.id,
        at: metaTimestamp(event.item.timestamp, new Date(event.received_at)).toISOString(),
        source: 'router',
        ...(error
          ? {
              error: {
                code: error.code,
                title: error.title ?? error.message ?? `error ${error.code}`,
                ...(error.error_data?.details ? { details: error.error_data.details } : {}),
              },
            }
          : {}),
      }),
    });
  }
  // Published first, remembered after: a crash in between publishes again (same event ids), never loses one.
  await deps.publish(records);
  if (writes.size === 0) return;
  const pipeline = deps.redis.pipeline();
  for (const [wamid, status] of writes)
    pipeline.set(statusKey(deps.keyPrefix, wamid), status, 'EX', deps.wamidTtlSeconds);
  await pipeline.exec();
}

function parse(value: string | null | undefined): NotificationRef | null {
  return value ? (JSON.parse(value) as NotificationRef) : null;
}
