import type { Redis } from 'ioredis';
import type { Bucket, RateLimiter } from '../domain/ports.js';

export type { Bucket, RateLimiter } from '../domain/ports.js';

/**
 * A token bucket in Redis, shared by every router instance. Uses Redis' clock (TIME), so instances with skewed
 * clocks still agree. Returns 0 when a token was taken, else the milliseconds until one is available.
 */
/** Shared with priority-limiter.redis.ts, which guards the same bucket. */
export const takeTokenScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return wait
`;

export function createRedisRateLimiter(redis: Redis): RateLimiter {
  const take = async (bucket: Bucket): Promise<number> =>
    Number(await redis.eval(takeTokenScript, 1, bucket.key, String(bucket.perSecond), String(bucket.burst)));
  return {
    async acquire(buckets) {
      let waited = 0;
      for (const bucket of buckets) {
        for (let wait = await take(bucket); wait > 0; wait = await take(bucket)) {
          waited += wait;
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
      return waited;
    },
  };
}
