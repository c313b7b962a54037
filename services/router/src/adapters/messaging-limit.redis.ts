import type { Redis } from 'ioredis';
import type { MessagingLimit } from '../domain/ports.js';

/**
 * Meta's messaging limit: unique users reached by business-initiated messages in a rolling 24 h, per business
 * portfolio, shared by all its numbers (meta-2026-changes.md §1.9). One sorted set for the portfolio
 * (`<prefix>rate:portfolio-contacts`, user → last business-initiated send, Redis' clock): a user already in the
 * window is admitted again (they count once), a new one only while fewer than `limit` are. Checked and added
 * in one script, so routers racing for the last place admit one user.
 */
export function createMessagingLimit(redis: Redis, prefix: string, limit: number): MessagingLimit {
  const key = `${prefix}rate:portfolio-contacts`;
  return {
    limit,
    async admit(userKey) {
      if (limit <= 0) return true;
      return (await redis.eval(admitScript, 1, key, String(windowMs), String(limit), userKey)) === 1;
    },
  };
}

const windowMs = 24 * 3600 * 1000;

const admitScript = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
if redis.call('ZSCORE', KEYS[1], ARGV[3]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
  return 1
end
return 0
`;
