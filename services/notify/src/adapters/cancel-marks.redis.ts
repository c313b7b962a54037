import { notificationCancelledKey } from '@wa-broker/shared/redis-keys';
import type { Redis } from 'ioredis';
import type { CancelMarks } from '../domain/ports.js';

/** Eight days, like the router's send claims: longer than any send request waits in Kafka. */
const ttlSeconds = 8 * 86_400;

/** The cancel mark in the router's Redis (`notificationCancelledKey`, which the router reads before each send). */
export function createCancelMarks(redis: Redis, prefix: string): CancelMarks {
  return {
    async mark(notificationId) {
      await redis.set(notificationCancelledKey(prefix, notificationId), '1', 'EX', ttlSeconds);
    },
  };
}
