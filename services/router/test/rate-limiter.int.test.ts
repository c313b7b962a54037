import { randomUUID } from 'node:crypto';
import { testStackEnv } from '@wa-broker/infra/test-env';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphApiClient } from '../src/adapters/graph-api.client.js';
import { createRedisRateLimiter } from '../src/adapters/rate-limiter.redis.js';
import { createMetrics } from '../src/handlers/metrics.js';
import { type SenderDeps, sendWithRetry } from '../src/handlers/send-with-retry.js';
import { type FakeGraph, startFakeGraph } from './support/fake-graph.js';

// Two senders, each with its own Redis connection as two router instances would have, share the buckets.
let graph: FakeGraph;
const connections: Redis[] = [];
const prefix = `test:${randomUUID().slice(0, 8)}:`;

beforeAll(async () => {
  graph = await startFakeGraph();
});
afterAll(async () => {
  const [redis] = connections;
  const keys = (await redis?.keys(`${prefix}*`)) ?? [];
  if (keys.length) await redis?.del(...keys);
  for (const connection of connections) connection.disconnect();
  await graph.close();
});

function instance(limits: { perNumber: number; pairPerSecond: number; pairBurst: number }): SenderDeps {
  const redis = new Redis(testStackEnv().REDIS_URL);
  connections.push(redis);
  return {
    graph: createGraphApiClient({
      baseUrl: graph.url,
      version: 'v25.0',
      timeoutMs: 5_000,
    }),
    limiter: createRedisRateLimiter(redis),
    metrics: createMetrics(),
    keyPrefix: prefix,
    numbers: {
      defaultId: '106540352242922',
      sending: (phoneNumberId) => ({ phoneNumberId, token: 'test-token', perSecond: limits.perNumber }),
      offers: () => true,
    },
    messagingLimit: { limit: 0, admit: async () => true },
    numberWindowGuardMs: 50,
    pairPerSecond: limits.pairPerSecond,
    pairBurst: limits.pairBurst,
    maxAttempts: 1,
    backoff: { baseMs: 10, maxMs: 10 },
    random: Math.random,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** Sends `count` texts through the two instances in turn, all at once; returns when Graph received them. */
async function sendThroughBoth(senders: SenderDeps[], count: number, userOf: (i: number) => string) {
  const outcomes = await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const sender = senders[i % senders.length] as SenderDeps;
      const to = { wa_id: userOf(i) };
      return sendWithRetry(sender, '106540352242922', to.wa_id, to, {
        type: 'text',
        text: { body: `m${i}` },
      });
    }),
  );
  expect(outcomes.every((o) => o.ok)).toBe(true);
  return graph.requests.filter((r) => userOf(0).startsWith(String(r.body.to).slice(0, 6))).map((r) => r.at);
}

const maxInAnySecond = (times: number[]) =>
  Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + 1000).length));

describe('rate limits shared by two instances through Redis', () => {
  it('never exceeds the per-number limit in any 1 s window', async () => {
    const limits = { perNumber: 20, pairPerSecond: 100, pairBurst: 100 };
    const senders = [instance(limits), instance(limits)];
    const times = await sendThroughBoth(senders, 60, (i) => `177700${String(i).padStart(4, '0')}`);
    expect(times).toHaveLength(60);
    expect(maxInAnySecond(times)).toBeLessThanOrEqual(20);
    // 60 messages at 20/s cannot take less than ~2.9 s whichever instance sends them.
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(2_800);
  });

  it('holds one user to the pair limit: a burst, then the refill rate', async () => {
    const limits = { perNumber: 80, pairPerSecond: 2, pairBurst: 3 };
    const senders = [instance(limits), instance(limits)];
    const times = await sendThroughBoth(senders, 9, () => '1888000001');
    expect(times).toHaveLength(9);
    const start = Math.min(...times);
    expect(times.filter((t) => t < start + 300)).toHaveLength(3);
    expect(maxInAnySecond(times)).toBeLessThanOrEqual(3 + 2);
    // 3 at once, then 6 more at 2/s.
    expect(Math.max(...times) - start).toBeGreaterThanOrEqual(2_800);
  });
});
