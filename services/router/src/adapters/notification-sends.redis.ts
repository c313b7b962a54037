import type { DeliveryStatus } from '@wa-broker/shared/agent-inbound';
import type { Redis } from 'ioredis';
import type { KnownNotification, NotificationRef, NotificationSendStore } from '../domain/ports.js';

/** `notify:wamid:<wamid>` → the notification it was sent for. */
export const notifyWamidKey = (prefix: string, wamid: string) => `${prefix}notify:wamid:${wamid}`;
/** The last status published for a notification's wamid; statuses only move forward. */
export const notifyStatusKey = (prefix: string, wamid: string) => `${prefix}notify:status:${wamid}`;

/** Which notification each sent wamid belongs to, and its last published status, in the router's Redis. */
export function createNotificationSendStore(
  redis: Redis,
  prefix: string,
  settings: { wamidTtlSeconds: number },
): NotificationSendStore {
  const ttl = settings.wamidTtlSeconds;
  return {
    async recordSent(wamid, ref) {
      await redis
        .multi()
        .set(notifyWamidKey(prefix, wamid), JSON.stringify(ref), 'EX', ttl)
        .set(notifyStatusKey(prefix, wamid), 'sent', 'EX', ttl)
        .exec();
    },
    async load(wamids) {
      if (wamids.length === 0) return new Map();
      const values = await redis.mget(
        wamids.flatMap((w) => [notifyWamidKey(prefix, w), notifyStatusKey(prefix, w)]),
      );
      return new Map<string, KnownNotification>(
        wamids.map((w, i) => [
          w,
          { ref: parseRef(values[i * 2]), last: (values[i * 2 + 1] ?? null) as DeliveryStatus | null },
        ]),
      );
    },
    async saveStatuses(statuses) {
      if (statuses.size === 0) return;
      const pipeline = redis.pipeline();
      for (const [wamid, status] of statuses) pipeline.set(notifyStatusKey(prefix, wamid), status, 'EX', ttl);
      await pipeline.exec();
    },
  };
}

function parseRef(value: string | null | undefined): NotificationRef | null {
  return value ? (JSON.parse(value) as NotificationRef) : null;
}
