import { randomUUID } from 'node:crypto';
import { testStackEnv } from '@wa-broker/infra/test-env';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createMessagingLimit } from '../src/adapters/messaging-limit.redis.js';

// meta-2026-changes.md §1.9: unique users per rolling 24 h, per portfolio, shared by every number and router.
const redis = new Redis(testStackEnv().REDIS_URL);
const prefix = `test:${randomUUID().slice(0, 8)}:`;
afterAll(async () => {
  await redis.del(`${prefix}rate:portfolio-contacts`);
  redis.disconnect();
});

describe('the portfolio messaging limit in Redis', () => {
  it('admits up to the limit of distinct users across routers racing, and a counted user again', async () => {
    const routers = [createMessagingLimit(redis, prefix, 3), createMessagingLimit(redis, prefix, 3)];
    const users = Array.from({ length: 10 }, (_, i) => `US.${i}`);
    const admitted = await Promise.all(users.map((user, i) => routers[i % 2]?.admit(user)));
    expect(admitted.filter(Boolean)).toHaveLength(3);
    const first = users[admitted.indexOf(true)] as string;
    expect(await routers[1]?.admit(first)).toBe(true);
    expect(await redis.zcard(`${prefix}rate:portfolio-contacts`)).toBe(3);
    expect(await redis.pttl(`${prefix}rate:portfolio-contacts`)).toBeGreaterThan(0);
  });

  it('is off at 0', async () => {
    const unlimited = createMessagingLimit(redis, `${prefix}off:`, 0);
    expect(await Promise.all(['a', 'b', 'c'].map((u) => unlimited.admit(u)))).toEqual([true, true, true]);
  });
});
