import { randomUUID } from 'node:crypto';
import { testStackEnv } from '@wa-broker/infra/test-env';
import { createLogger } from '@wa-broker/shared/logger';
import type { WebhookEvent } from '@wa-broker/shared/webhook-events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointMovedError, RouterStore } from '../src/adapters/router-store.redis.js';
import { SendClaims } from '../src/adapters/send-claims.redis.js';
import type { Agent } from '../src/domain/agent.js';
import { type ConsumedBatch, routeInboundBatch } from '../src/handlers/inbound-batch.js';
import { createMetrics } from '../src/handlers/metrics.js';
import { runClaimed } from '../src/handlers/send-claim.js';
import { texts } from '../src/testing/domain-fixtures.js';

// Issue 14 §1: a batch's Redis state is written before its Kafka transaction commits. These drive the handlers
// against the real Redis through each crash point (the router process itself is killed in e2e/test/faults).
const prefix = `test:eo:${randomUUID().slice(0, 8)}:`;
let redis: Redis;
/** The group's committed offset the handler confirms an uncommitted-looking checkpoint against. */
let committed: string | null = null;
let store: RouterStore;
const logger = createLogger({ service: 'router-test', level: 'silent' });
const agent: Agent = {
  id: '1',
  name: 'Sales',
  active: true,
  topics: { in: 'a-in', out: 'a-out', error: 'a-error' },
};
const deps = () => ({
  store,
  agents: () => [agent],
  texts,
  routerOutTopic: 'router-out',
  deadLetterTopic: 'dlq',
  messageCostsTopic: 'message-costs',
  numbers: { defaultId: 'p', offers: () => true },
  committedOffset: async () => committed,
  metrics: createMetrics(),
  logger,
  now: () => new Date(),
});

function text(user: string, wamid: string, body: string): WebhookEvent {
  return {
    v: 1,
    kind: 'message',
    message_type: 'text',
    trace_id: randomUUID(),
    received_at: new Date().toISOString(),
    occurred_at: null,
    waba_id: 'w',
    phone_number_id: 'p',
    metadata: null,
    user: { wa_id: user },
    contact: null,
    item: {
      id: wamid,
      from: user,
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: 'text',
      text: { body },
    },
  } as WebhookEvent;
}

const batch = (first: number, events: WebhookEvent[], checkpointKey: string): ConsumedBatch => ({
  topic: 'webhook',
  partition: 0,
  lastOffset: String(first + events.length - 1),
  checkpointKey,
  events: events.map((event, i) => ({ offset: String(first + i), event, rebuildOnly: false })),
});

const valuesOf = (records: { value: unknown }[]) => records.map((r) => JSON.stringify(r.value));

beforeAll(() => {
  redis = new Redis(testStackEnv().REDIS_URL);
  store = new RouterStore(redis, prefix, { sessionSeconds: 600, dedupSeconds: 600, wamidSeconds: 600 });
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('inbound: a batch whose transaction did not commit', () => {
  it('publishes the same records again, decided once, and decides later offsets on the state it left', async () => {
    const key = `${prefix}checkpoint:g:webhook:0`;
    const user = '15550001001';
    const first = await routeInboundBatch(batch(0, [text(user, 'wamid.a', 'hi')], key), deps());
    expect(first.lastOffset).toBe('0');
    expect(first.records.map((r) => r.topic)).toEqual(['router-out']); // the menu
    const session = await redis.get(`${prefix}session:p:${user}`);

    // Crash before the commit: offset 0 comes again. Same records, no second decision, state untouched.
    const again = await routeInboundBatch(batch(0, [text(user, 'wamid.a', 'hi')], key), deps());
    expect(valuesOf(again.records)).toEqual(valuesOf(first.records));
    expect(await redis.get(`${prefix}session:p:${user}`)).toBe(session);

    // Crash again, and this time the fetch brings offset 1 too: the stored records first, then the new one's,
    // decided on the state offset 0 left (the user picks the agent from the menu by name).
    const wider = await routeInboundBatch(
      batch(0, [text(user, 'wamid.a', 'hi'), text(user, 'wamid.b', 'Sales')], key),
      deps(),
    );
    expect(wider.lastOffset).toBe('1');
    expect(valuesOf(wider.records).slice(0, first.records.length)).toEqual(valuesOf(first.records));
    const routedToAgent = wider.records
      .filter((r) => r.topic === 'a-in')
      .map((r) => (r.value as { type: string }).type);
    expect(routedToAgent).toEqual(['session_started', 'text']); // the first message, kept by the menu
    expect(JSON.parse((await redis.get(`${prefix}session:p:${user}`)) ?? '{}')).toMatchObject({
      state: 'agent',
    });

    // A zombie's view: its fetch started at offset 0, but the checkpoint's transaction did commit meanwhile.
    committed = '2';
    const zombie = await routeInboundBatch(
      batch(0, [text(user, 'wamid.a', 'hi'), text(user, 'wamid.b', 'Sales')], key),
      deps(),
    );
    expect(zombie.records).toEqual([]);
    expect(zombie.lastOffset).toBe('1');

    // Committed: the next fetch starts after the checkpoint; nothing old goes out again.
    const next = await routeInboundBatch(batch(2, [text(user, 'wamid.c', 'more')], key), deps());
    expect(next.records.map((r) => [r.topic, (r.value as { wamid?: string }).wamid])).toEqual([
      ['a-in', 'wamid.c'],
    ]);
  });

  it('refuses to write when another router moved the partition checkpoint since the batch read it', async () => {
    const key = `${prefix}checkpoint:g:webhook:1`;
    await store.commitBatch({
      checkpointKey: key,
      expectedLast: null,
      checkpoint: { first: '0', last: '4', records: [] },
      users: new Map(),
      statuses: new Map(),
      seenIds: [],
      sent: new Map(),
      resolvedClaims: new Map(),
    });
    const stale = store.commitBatch({
      checkpointKey: key,
      expectedLast: null,
      checkpoint: { first: '0', last: '9', records: [] },
      users: new Map(),
      statuses: new Map(),
      seenIds: ['wamid.never'],
      sent: new Map(),
      resolvedClaims: new Map(),
    });
    await expect(stale).rejects.toBeInstanceOf(CheckpointMovedError);
    expect(await redis.exists(`${prefix}dedup:wamid.never`)).toBe(0);
  });
});

describe('outbound: a settled claim whose batch transaction did not commit', () => {
  it('publishes its records again for a replay of the same -out record, never for another record with its key', async () => {
    const claims = new SendClaims(redis, prefix, { owner: 'me', leaseMs: 60_000, ttlSeconds: 600 });
    const claimDeps = {
      claims,
      inFlight: new Set<string>(),
      neverCalled: new Set<string>(),
      logger,
      unknownAfterMs: 60_000,
    };
    const errorRecord = { topic: 'a-error', key: 'u', value: { event_id: 'a-out:0:7:window_closed' } };
    let sends = 0;
    const run = (source: string, emitted: unknown[]) => ({
      source,
      waID: 'u',
      emit: (records: readonly unknown[]) => void emitted.push(...records),
      send: async () => {
        sends += 1;
        return { state: 'failed' as const, records: [errorRecord] };
      },
    });
    const first: unknown[] = [];
    await runClaimed(claimDeps, '1', 'k-1', run('a-out:0:7', first));
    const replay: unknown[] = [];
    await runClaimed(claimDeps, '1', 'k-1', run('a-out:0:7', replay));
    const duplicate: unknown[] = [];
    await runClaimed(claimDeps, '1', 'k-1', run('a-out:0:9', duplicate));
    expect(sends).toBe(1);
    expect(first).toEqual([errorRecord]);
    expect(replay).toEqual([errorRecord]);
    expect(duplicate).toEqual([]);
  });
});

describe('outbound: the sending mark written but its answer lost (Redis went away)', () => {
  it('sends on the replay instead of waiting for a status that cannot come: this process knows it never called', async () => {
    const claims = new SendClaims(redis, prefix, { owner: 'me', leaseMs: 60_000, ttlSeconds: 600 });
    // The mark reaches Redis, the connection drops before its answer: the swap is written, then fails.
    let loseAnswer = true;
    const flaky = Object.create(claims) as SendClaims;
    flaky.swap = async (...args: Parameters<SendClaims['swap']>) => {
      const result = await claims.swap(...args);
      if (args[3] === 'sending' && loseAnswer) {
        loseAnswer = false;
        throw new Error('Connection is closed.');
      }
      return result;
    };
    const claimDeps = {
      claims: flaky,
      inFlight: new Set<string>(),
      neverCalled: new Set<string>(),
      logger,
      unknownAfterMs: 60_000,
    };
    let calls = 0;
    const run = {
      source: 'a-out:0:11',
      waID: 'u',
      emit: () => undefined,
      send: async (markSending: () => Promise<void>) => {
        await markSending();
        calls += 1;
        return { state: 'sent' as const, records: [] };
      },
    };
    await expect(runClaimed(claimDeps, '1', 'k-lost-answer', run)).rejects.toThrow('Connection is closed.');
    expect(JSON.parse((await redis.get(`${prefix}out:1:k-lost-answer`)) ?? '{}')).toMatchObject({
      state: 'sending',
    });
    await runClaimed(claimDeps, '1', 'k-lost-answer', run);
    expect(calls).toBe(1);
    expect(await redis.get(`${prefix}out:1:k-lost-answer`)).toBe('sent');
  });
});
