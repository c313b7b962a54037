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
 * places). So a large notification fills only the capacity agents leave. One Redis call grants notifications at
 * most a twentieth of the number's limit (4 of 80/s, 1 under 40/s): an agent's reply waits at most for those, 50 ms
 * of the number's capacity, even when many places free at once (a notification's first window repeats each second).
 * One place per call had capped notifications at one Redis round trip per send: on a loaded 2-core machine a round
 * trip took 10–25 ms, so places stood free while sends waited. The count expires 10 s after its last arrival, so a
 * crashed router cannot stop notifications for longer.
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
      placesPerCall: (limit) => limit,
    }),
    notifications: createRedisRateLimiter(redis, {
      ...settings,
      announceWaiting: false,
      yieldToConversations: true,
      placesPerCall: notificationPlacesPerCall,
    }),
  };
}

/** The most places one Redis call grants to notifications: a twentieth of the number's limit, at least one. */
export const notificationPlacesPerCall = (limit: number) => Math.max(1, Math.floor(limit / 20));
