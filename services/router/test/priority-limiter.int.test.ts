import { randomUUID } from 'node:crypto';
import { testStackEnv } from '@wa-broker/infra/test-env';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createPriorityLimiters } from '../src/adapters/priority-limiter.redis.js';
import type { SendLimits } from '../src/adapters/rate-limiter.redis.js';

const redis = new Redis(testStackEnv().REDIS_URL);
afterAll(() => redis.quit());

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function setup() {
  const prefix = `prio-test-${randomUUID().slice(0, 8)}:`;
  const number: SendLimits = { number: { key: `${prefix}rate:window:1065`, limit: 20, windowMs: 1_000 } };
  const limiters = createPriorityLimiters(redis, { inFlightMs: 5_000, pollMs: 10, leadMs: 20, sleep });
  return { number, limiters };
}

/** Eight notification senders draining as fast as the window allows, until stopped; returns their grant times. */
function drain(limiters: ReturnType<typeof setup>['limiters'], number: SendLimits) {
  const grants: number[] = [];
  let running = true;
  const workers = Array.from({ length: 8 }, async () => {
    while (running) {
      const permit = await limiters.notifications.acquire(number);
      grants.push(Date.now());
      await permit.answered();
    }
  });
  const stop = async () => {
    running = false;
    await Promise.all(workers);
  };
  return { grants, stop };
}

describe('conversations before notifications in the number’s window', () => {
  it('gives a waiting agent reply the next free place while a notification drains, then lets the drain go on', async () => {
    const { number, limiters } = setup();
    const notifications = drain(limiters, number);
    await sleep(500);
    // Counted in grants, not milliseconds, so a loaded machine cannot fail it: while a reply waits, at most the
    // place already being taken goes to a notification (without priority the 8 senders take their turns first).
    const overtaken: number[] = [];
    for (let i = 0; i < 5; i++) {
      const grantsBefore = notifications.grants.length;
      await (await limiters.conversations.acquire(number)).answered();
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
    // The window full: the replies wait for places to free.
    for (let i = 0; i < 20; i++) await (await limiters.conversations.acquire(number)).answered();
    const replies = Promise.all(Array.from({ length: 4 }, () => limiters.conversations.acquire(number)));
    await sleep(5);
    const notification = limiters.notifications.acquire(number).then(() => Date.now());
    await replies;
    const repliesDone = Date.now();
    expect(await notification).toBeGreaterThanOrEqual(repliesDone);
  });
});
