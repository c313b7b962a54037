import type { Redis } from 'ioredis';
import { createRedisRateLimiter, type RateLimiter, type WindowSettings } from './rate-limiter.redis.js';

export interface PriorityLimiters {
  /** For agent replies and the router's own messages: announces itself while it waits for the number. */
  conversations: RateLimiter;
  /** For notifications: takes a place in the number's window only while no conversation send is waiting. */
  notifications: RateLimiter;
}

/**
 * Conversations before notifications on the one number window Meta counts (§7.1). A conversation send counts
 * itself in Redis (`<places key>:conversations-waiting`, shared by every router instance) while it waits for a
 * place; a notification send takes one only while that count is zero (checked in the same script as the
 * place, one notification send per call). So a large notification fills only the capacity agents leave, and an
 * agent's reply waits at most for the place a notification is being granted. The count expires 10 s after its last arrival, so a crashed router
 * cannot stop notifications for longer.
 */
export function createPriorityLimiters(
  redis: Redis,
  settings: WindowSettings & { sleep: (ms: number) => Promise<void> },
): PriorityLimiters {
  return {
    conversations: createRedisRateLimiter(redis, {
      ...settings,
      announceWaiting: true,
      yieldToConversations: false,
      maxPerCall: 100,
    }),
    notifications: createRedisRateLimiter(redis, {
      ...settings,
      announceWaiting: false,
      yieldToConversations: true,
      maxPerCall: 1,
    }),
  };
}
