import type { Redis } from 'ioredis';
import { type Bucket, type RateLimiter, takeTokenScript } from './rate-limiter.redis.js';

/** Decrements only a live counter: a counter that expired meanwhile must not come back negative and forever. */
const leaveScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end
return 0
`;

/**
 * The token bucket of rate-limiter.redis.ts (same key, same state, Redis' clock), taken only while no
 * conversation send waits (KEYS[2] > 0 → wait ARGV[3] ms without touching the bucket). Checked and taken in one
 * script, so a notification cannot slip in between an agent's arrival and its token.
 */
const takeUnlessWaitingScript = `
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then return tonumber(ARGV[3]) end
${takeTokenScript}`;

export interface PriorityLimiters {
  /** For agent replies and the router's own messages: announces itself while it waits for the number. */
  conversations: RateLimiter;
  /** For notifications: takes the number's token only while no conversation send is waiting for it. */
  notifications: RateLimiter;
}

export interface PrioritySettings {
  /**
   * The count of conversation sends waiting for a number's bucket (`<prefix>rate:conversations-waiting:<phone
   * id>`, shared by every router instance), from that bucket's key: each number has its own.
   */
  waitingKey: (numberBucketKey: string) => string;
  pollMs: number;
  sleep: (ms: number) => Promise<void>;
}

const isNumberBucket = (bucket: Bucket) => bucket.key.includes('rate:number:');

/**
 * Conversations before notifications on the one per-number bucket Meta counts (§7.1). A conversation send
 * counts itself in Redis while it waits for the number's token; a notification send takes a token only while
 * that count is zero (checked in the same script). So a large notification fills only the capacity agents
 * leave, and an agent's reply waits for the next token at most. The count
 * expires 10 s after its last arrival, so a crashed router cannot stop notifications for longer.
 */
export function createPriorityLimiters(
  inner: RateLimiter,
  redis: Redis,
  settings: PrioritySettings,
): PriorityLimiters {
  const split = (buckets: readonly Bucket[]) => ({
    others: buckets.filter((b) => !isNumberBucket(b)),
    number: buckets.filter(isNumberBucket),
  });
  return {
    conversations: {
      async acquire(buckets) {
        const { others, number } = split(buckets);
        // The user's pair limit first: a reply held by it is not waiting for the number yet.
        let waited = await inner.acquire(others);
        if (number.length === 0) return waited;
        const waitingKeys = number.map((bucket) => settings.waitingKey(bucket.key));
        const arrive = redis.multi();
        for (const key of waitingKeys) arrive.incr(key).pexpire(key, 10_000);
        await arrive.exec();
        try {
          waited += await inner.acquire(number);
        } finally {
          for (const key of waitingKeys) await redis.eval(leaveScript, 1, key);
        }
        return waited;
      },
    },
    notifications: {
      async acquire(buckets) {
        const { others, number } = split(buckets);
        let waited = await inner.acquire(others);
        for (const bucket of number) {
          for (;;) {
            const wait = Number(
              await redis.eval(
                takeUnlessWaitingScript,
                2,
                bucket.key,
                settings.waitingKey(bucket.key),
                String(bucket.perSecond),
                String(bucket.burst),
                String(settings.pollMs),
              ),
            );
            if (wait === 0) break;
            // Short naps: a token freed while an agent waits must go to the agent, not to a sleeper's wake-up.
            const nap = Math.min(wait, settings.pollMs);
            await settings.sleep(nap);
            waited += nap;
          }
        }
        return waited;
      },
    },
  };
}
