import type { Redis } from 'ioredis';
import type { CancelMarks } from '../domain/ports.js';

/** Eight days, like the router's send claims: longer than any send request waits in Kafka. */
const ttlSeconds = 8 * 86_400;

/**
 * `<prefix>notify:cancelled:<notification id>` in the router's Redis: the router checks it right before it
 * sends a notification's request, so a cancel stops what is already queued in Kafka.
 */
export function createCancelMarks(redis: Redis, prefix: string): CancelMarks {
  return {
    async mark(notificationId) {
      await redis.set(`${prefix}notify:cancelled:${notificationId}`, '1', 'EX', ttlSeconds);
    },
  };
}
