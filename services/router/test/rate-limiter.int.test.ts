import { randomUUID } from 'node:crypto';
import { testStackEnv } from '@wa-broker/infra/test-env';
import { maxInAnyWindow, tightestSpanMs } from '@wa-broker/shared/meta-throughput';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphApiClient } from '../src/adapters/graph-api.client.js';
import {
  answerWindowPlace,
  createRedisRateLimiter,
  type SendWindow,
  takeWindowPlaces,
} from '../src/adapters/rate-limiter.redis.js';
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
    limiter: createRedisRateLimiter(redis, {
      inFlightMs: 6_000,
      pollMs: 5,
      leadMs: 50,
      announceWaiting: false,
      yieldToConversations: false,
      placesPerCall: (limit) => limit,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    }),
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

const maxInAnySecond = (times: number[]) => maxInAnyWindow(times, 1000);

const settings = { inFlightMs: 5_000, pollMs: 5, leadMs: 0, yieldToConversations: false };

/**
 * Takes a place for `id`, waiting each time exactly as long as told; returns Redis' time of the grant and when the
 * send may start (the same, or later for a place granted ahead).
 */
async function takeWhenFree(redis: Redis, window: SendWindow, id: string, leadMs = 0) {
  for (;;) {
    const taken = await takeWindowPlaces(redis, window, { ...settings, leadMs, ids: [id] });
    if (taken.granted === 1) return { grantedAt: taken.at, startAt: taken.at + (taken.startsInMs[0] ?? 0) };
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(taken.waitMs))));
  }
}

const redisNow = async (redis: Redis) => {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Number(micros) / 1000;
};

describe('a number’s places in Meta’s window, taken through Redis by two instances', () => {
  it.each([0, 100])(
    'lets a send start only while fewer than the limit are held, each held until a window after its answer (lead %i ms)',
    async (leadMs) => {
      const [a, b] = [new Redis(testStackEnv().REDIS_URL), new Redis(testStackEnv().REDIS_URL)];
      connections.push(a, b);
      const window = { key: `${prefix}rate:window:exact-${leadMs}`, limit: 5, windowMs: 300 };
      // 20 senders on two connections race for 5 places; each waits for its start (Redis' clock), then its call is
      // answered 0–20 ms later.
      const sends = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const redis = i % 2 ? a : b;
          const { grantedAt, startAt } = await takeWhenFree(redis, window, `send-${i}`, leadMs);
          while ((await redisNow(redis)) < startAt) await new Promise((resolve) => setTimeout(resolve, 1));
          await new Promise((resolve) => setTimeout(resolve, (i * 7) % 21));
          return { grantedAt, startAt, answeredAt: await answerWindowPlace(redis, window, `send-${i}`) };
        }),
      );
      // On Redis' clock: at every start, fewer than the limit of the sends granted before it still held a place.
      for (const send of sends) {
        const holding = sends.filter(
          (other) => other.grantedAt < send.grantedAt && other.answeredAt + window.windowMs > send.startAt,
        );
        expect(holding.length).toBeLessThan(window.limit);
      }
      // So however late each send reached Meta before its answer, no window held more than the limit.
      const latest = sends.map((send) => send.answeredAt);
      expect(maxInAnyWindow(latest, window.windowMs)).toBeLessThanOrEqual(window.limit);
      if (leadMs > 0) expect(sends.some((send) => send.startAt > send.grantedAt)).toBe(true);
    },
  );

  it('grants ahead a place that frees within the lead, starting when it frees', async () => {
    const redis = new Redis(testStackEnv().REDIS_URL);
    connections.push(redis);
    const window = { key: `${prefix}rate:window:lead`, limit: 2, windowMs: 400 };
    const ahead = { ...settings, leadMs: 150 };
    expect((await takeWindowPlaces(redis, window, { ...ahead, ids: ['a', 'b'] })).startsInMs).toEqual([0, 0]);
    const answeredA = await answerWindowPlace(redis, window, 'a');
    await new Promise((resolve) => setTimeout(resolve, 60)); // TEMP: load
    const answeredB = await answerWindowPlace(redis, window, 'b');
    // Too early: 'a' frees beyond the lead; told to come back the lead before it frees.
    const early = await takeWindowPlaces(redis, window, { ...ahead, ids: ['c'] });
    expect(early.granted).toBe(0);
    expect(early.waitMs).toBeCloseTo(answeredA + window.windowMs - ahead.leadMs - early.at, 2);
    // (+1 ms: a Node timer can fire up to a millisecond before its delay has passed.)
    await new Promise((resolve) => setTimeout(resolve, Math.ceil(early.waitMs) + 1));
    // Within the lead: granted, to start when 'a' frees; 'b' is still held, so 'd' waits for it.
    const taken = await takeWindowPlaces(redis, window, { ...ahead, ids: ['c'] });
    expect(taken.granted).toBe(1);
    expect(taken.at + (taken.startsInMs[0] ?? 0)).toBeCloseTo(answeredA + window.windowMs, 2);
    expect(taken.startsInMs[0]).toBeGreaterThan(0);
    // 'b' was answered a round trip after 'a' (longer under load): once it too frees within the lead, 'd' is
    // granted to start when it does; then nothing is left to grant ahead ('c' is in flight).
    const untilB = answeredB + window.windowMs - ahead.leadMs - taken.at;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.ceil(untilB)) + 1));
    const next = await takeWindowPlaces(redis, window, { ...ahead, ids: ['d', 'e'] });
    expect(next.granted).toBe(1);
    expect(next.at + (next.startsInMs[0] ?? 0)).toBeCloseTo(answeredB + window.windowMs, 2);
    expect(next.waitMs).toBe(ahead.pollMs);
  });

  it('grants as many of a queue as places are free, and says exactly how long until the next frees', async () => {
    const redis = new Redis(testStackEnv().REDIS_URL);
    connections.push(redis);
    const window = { key: `${prefix}rate:window:wait`, limit: 3, windowMs: 400 };
    const first = await takeWindowPlaces(redis, window, { ...settings, ids: ['a', 'b'] });
    expect(first.granted).toBe(2);
    const answered = await answerWindowPlace(redis, window, 'a');
    await answerWindowPlace(redis, window, 'b');
    // One place left for three waiting: the first of them gets it.
    const refused = await takeWindowPlaces(redis, window, { ...settings, ids: ['c', 'd', 'e'] });
    expect(refused.granted).toBe(1);
    await answerWindowPlace(redis, window, 'c');
    // The rest are told when the earliest answered place ('a') is a window old, on Redis' clock.
    expect(refused.waitMs).toBeCloseTo(answered + window.windowMs - refused.at, 2);
    await new Promise((resolve) => setTimeout(resolve, Math.ceil(refused.waitMs)));
    const taken = await takeWindowPlaces(redis, window, { ...settings, ids: ['d', 'e'] });
    expect(taken.granted).toBeGreaterThanOrEqual(1);
    expect(taken.at).toBeGreaterThanOrEqual(answered + window.windowMs);
  });

  it('grants at most the cap per call, and says to come back at once while places are still free', async () => {
    const redis = new Redis(testStackEnv().REDIS_URL);
    connections.push(redis);
    const window = { key: `${prefix}rate:window:cap`, limit: 6, windowMs: 5_000 };
    const capped = { ...settings, perCall: 4 };
    // 6 free: 4 of the 5 asking, no wait (2 places are still free).
    expect(
      await takeWindowPlaces(redis, window, { ...capped, ids: ['a', 'b', 'c', 'd', 'e'] }),
    ).toMatchObject({
      granted: 4,
      waitMs: 0,
    });
    // 2 free: both, for the first two asking; the third is told to wait.
    const rest = await takeWindowPlaces(redis, window, { ...capped, ids: ['e', 'f', 'g'] });
    expect(rest.granted).toBe(2);
    expect(rest.waitMs).toBeGreaterThan(0);
    expect(await redis.zcard(window.key)).toBe(window.limit);
  });

  it('holds the place of a send still in flight: nobody gets it until it is answered', async () => {
    const redis = new Redis(testStackEnv().REDIS_URL);
    connections.push(redis);
    const window = { key: `${prefix}rate:window:flight`, limit: 1, windowMs: 50 };
    expect(await takeWindowPlaces(redis, window, { ...settings, ids: ['slow'] })).toMatchObject({
      granted: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 120));
    // Two windows later, still unanswered: still held, and looked at again after the poll.
    expect(await takeWindowPlaces(redis, window, { ...settings, ids: ['next'] })).toMatchObject({
      granted: 0,
      waitMs: settings.pollMs,
    });
    await answerWindowPlace(redis, window, 'slow');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await takeWindowPlaces(redis, window, { ...settings, ids: ['next'] })).toMatchObject({
      granted: 1,
    });
  });
  it('holds an answered place a window from the answer’s arrival, however late the router reports it', async () => {
    const redis = new Redis(testStackEnv().REDIS_URL);
    connections.push(redis);
    const window = { key: `${prefix}rate:window:late`, limit: 1, windowMs: 400 };
    expect((await takeWindowPlaces(redis, window, { ...settings, ids: ['late'] })).granted).toBe(1);
    const [seconds, micros] = await redis.time();
    const beforeArrival = Number(seconds) * 1000 + Number(micros) / 1000;
    const arrived = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 250));
    const stamp = await answerWindowPlace(redis, window, 'late', arrived);
    // Never before the answer arrived (Meta had the send by then), and not when the router got round to it.
    expect(stamp).toBeGreaterThanOrEqual(beforeArrival);
    const next = await takeWindowPlaces(redis, window, { ...settings, ids: ['next'] });
    expect(next.granted).toBe(0);
    expect(next.waitMs).toBeLessThanOrEqual(window.windowMs - 250);
    expect(next.waitMs).toBeCloseTo(stamp + window.windowMs - next.at, 2);
  });
});

describe('rate limits shared by two instances through Redis', () => {
  it('never exceeds the per-number limit in any 1 s window, and Meta refuses nothing', async () => {
    const limits = { perNumber: 20, pairPerSecond: 100, pairBurst: 100 };
    const senders = [instance(limits), instance(limits)];
    graph.enforceThroughput(20);
    const times = await sendThroughBoth(senders, 60, (i) => `177700${String(i).padStart(4, '0')}`);
    expect(times).toHaveLength(60);
    expect(graph.refused130429).toBe(0);
    expect(maxInAnySecond(times)).toBeLessThanOrEqual(20);
    // Each send at least 1 s after the 20th before it, whichever instance sent them: 60 take at least 2 s.
    expect(tightestSpanMs(times, 20)).toBeGreaterThanOrEqual(1_000);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(2_000);
  });

  it('holds one user to the pair limit: a burst, then the refill rate', async () => {
    const limits = { perNumber: 80, pairPerSecond: 2, pairBurst: 3 };
    const senders = [instance(limits), instance(limits)];
    graph.enforceThroughput(80);
    const times = await sendThroughBoth(senders, 9, () => '1888000001');
    expect(times).toHaveLength(9);
    const start = Math.min(...times);
    expect(times.filter((t) => t < start + 300)).toHaveLength(3);
    expect(maxInAnySecond(times)).toBeLessThanOrEqual(3 + 2);
    // 3 at once, then 6 more at 2/s.
    expect(Math.max(...times) - start).toBeGreaterThanOrEqual(2_800);
  });
});
