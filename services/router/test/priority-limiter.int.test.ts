import { randomUUID } from 'node:crypto';
import { testStackEnv } from '@wa-broker/infra/test-env';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createPriorityLimiters } from '../src/adapters/priority-limiter.redis.js';
import { type Bucket, createRedisRateLimiter } from '../src/adapters/rate-limiter.redis.js';

const redis = new Redis(testStackEnv().REDIS_URL);
afterAll(() => redis.quit());

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function setup() {
  const prefix = `prio-test-${randomUUID().slice(0, 8)}:`;
  const number: Bucket = { key: `${prefix}rate:number:1065`, perSecond: 20, burst: 1 };
  const limiters = createPriorityLimiters(createRedisRateLimiter(redis), redis, {
    waitingKey: () => `${prefix}rate:conversations-waiting:1065`,
    pollMs: 10,
    sleep,
  });
  return { number, limiters };
}

/** Eight notification senders draining as fast as the bucket allows, until stopped; returns their grant times. */
function drain(limiters: ReturnType<typeof setup>['limiters'], number: Bucket) {
  const grants: number[] = [];
  let running = true;
  const workers = Array.from({ length: 8 }, async () => {
    while (running) {
      await limiters.notifications.acquire([number]);
      grants.push(Date.now());
    }
  });
  const stop = async () => {
    running = false;
    await Promise.all(workers);
  };
  return { grants, stop };
}

describe('conversations before notifications on the number bucket', () => {
  it('gives a waiting agent reply the next token while a notification drains, then lets the drain go on', async () => {
    const { number, limiters } = setup();
    const notifications = drain(limiters, number);
    await sleep(500);
    // Counted in grants, not milliseconds, so a loaded machine cannot fail it: while a reply waits, at most the
    // token already being taken goes to a notification (without priority the 8 senders take their turns first).
    const overtaken: number[] = [];
    for (let i = 0; i < 5; i++) {
      const grantsBefore = notifications.grants.length;
      await limiters.conversations.acquire([number]);
      overtaken.push(notifications.grants.length - grantsBefore);
      await sleep(100);
    }
    const before = notifications.grants.length;
    await sleep(500);
    await notifications.stop();
    expect(Math.max(...overtaken)).toBeLessThanOrEqual(1);
    expect(notifications.grants.length - before).toBeGreaterThanOrEqual(6);
  });

  it('holds notifications while a conversation waits for the number', async () => {
    const { number, limiters } = setup();
    await limiters.conversations.acquire([number]); // the bucket is empty now
    const replies = Promise.all(Array.from({ length: 4 }, () => limiters.conversations.acquire([number])));
    await sleep(5);
    const notification = limiters.notifications.acquire([number]).then(() => Date.now());
    await replies;
    const repliesDone = Date.now();
    expect(await notification).toBeGreaterThanOrEqual(repliesDone);
  });
});
