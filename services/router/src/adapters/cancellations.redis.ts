import { notificationCancelledKey } from '@wa-broker/shared/redis-keys';
import type { Redis } from 'ioredis';
import type { CancellationLookup } from '../domain/ports.js';

/**
 * The cancel mark notify writes when a notification is cancelled (services/notify/src/adapters/cancel-marks.redis.ts,
 * the same `notificationCancelledKey`); the router reads it right before each send.
 */
export function createCancellationLookup(redis: Redis, prefix: string): CancellationLookup {
  return async (notificationId) =>
    (await redis.exists(notificationCancelledKey(prefix, notificationId))) === 1;
}
