import type { Redis } from 'ioredis';
import type { CancellationLookup } from '../domain/ports.js';

/**
 * `<prefix>notify:cancelled:<notification id>`: notify writes it when a notification is cancelled
 * (services/notify/src/adapters/cancel-marks.redis.ts), the router reads it right before each send.
 */
export function createCancellationLookup(redis: Redis, prefix: string): CancellationLookup {
  return async (notificationId) => (await redis.exists(`${prefix}notify:cancelled:${notificationId}`)) === 1;
}
