import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createLogger } from '@wa-broker/shared/logger';
import {
  maxInAnyWindow,
  perSecond,
  tightestSpanMs,
  withinTokenBucket,
} from '@wa-broker/shared/meta-throughput';
import { conversationKey } from '@wa-broker/shared/user-identity';
import { startHarness } from '../test/support/harness.js';
import { percentile, startProbe } from './probe.js';
import { spawnRouter } from './router-process.js';

/**
 * Inbound throughput and the router's added latency (record timestamps, see probe.ts) with the router in a
 * process of its own, then the outbound rate against the fake Graph API. Short on purpose: the machine is shared.
 * While the router works, the bench only produces and polls the router's committed offsets; the probe reads the
 * records' timestamps once the inbound phases are over.
 */
const USERS = 200;
const BURST_EVENTS = 4000;
const PACED_RATE = 500;
// The p99 rests on 150 samples (15,000 events) and spans several of the broker's young collections (one every
// 4–30 s on the bench broker, each holding every partition): with 10 s, eleven runs of the same code on one
// machine measured 28–56 ms.
const PACED_SECONDS = 30;
const OUTBOUND_MESSAGES = 1000;

const h = await startHarness({ LOG_LEVEL: 'silent', RATE_LIMIT_PAIR_BURST: '10' });
const inTopic = h.topics('a1').in;
const probe = await startProbe({
  brokers: h.config.KAFKA_BROKERS,
  logger: createLogger({ service: 'router-bench', level: 'silent' }),
  id: h.id,
  webhookTopic: h.config.WEBHOOK_TOPIC,
  inTopic,
  routerGroupId: h.config.INBOUND_GROUP_ID,
});
await h.putAgent(1, 'Bench');
const users = Array.from({ length: USERS }, (_, i) => `1999${String(i).padStart(6, '0')}`);
await seedSessions(users);
const router = await spawnRouter(h.env);

let seq = 0;
/** `count` text events for round-robin users in one produce request; returns their wamids. */
async function produce(count: number): Promise<string[]> {
  const batch = Array.from({ length: count }, () => {
    const n = seq++;
    return { user: users[n % USERS] ?? '', wamid: `wamid.bench.${h.id}.${n}`, text: String(n) };
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  await h.inboundMany(
    batch.map((m) => ({
      user: m.user,
      item: { id: m.wamid, timestamp, type: 'text', text: { body: m.text } },
    })),
  );
  return batch.map((m) => m.wamid);
}
const burst: string[] = [];
for (let i = 0; i < BURST_EVENTS; i += 500) burst.push(...(await produce(500)));
await probe.caughtUp(60_000);

const paced: string[] = [];
// 5 events every 10 ms: a steady 500/s, one produce request per tick.
const TICK_MS = 10;
const pacedStart = Date.now();
for (let tick = 0; tick < (PACED_SECONDS * 1000) / TICK_MS; tick++) {
  paced.push(...(await produce((PACED_RATE * TICK_MS) / 1000)));
  await sleep(Math.max(0, pacedStart + (tick + 1) * TICK_MS - Date.now()));
}
await probe.caughtUp(30_000);
await probe.read([...burst, ...paced]);
const added = probe.added(paced);
const batchPhases = await router.inboundPhasesMs();
const outbound = await measureOutbound();

const results = {
  date: new Date().toISOString(),
  load_average_1m: Number(loadavg()[0]?.toFixed(2)),
  inbound_burst: {
    events: BURST_EVENTS,
    events_per_second: Math.round(probe.arrived(burst) / probe.span(burst)),
    lost: BURST_EVENTS - probe.arrived(burst),
  },
  inbound_paced: {
    rate: PACED_RATE,
    seconds: PACED_SECONDS,
    added_latency_from: 'LogAppendTime of the -in record minus that of the webhook record',
    added_p50_ms: percentile(added, 0.5),
    added_p99_ms: percentile(added, 0.99),
    added_max_ms: percentile(added, 1),
    batch_phases_mean_ms: { ...batchPhases, over: 'every inbound batch of the burst and the paced run' },
    lost: paced.length - probe.arrived(paced),
  },
  out_of_order: probe.outOfOrder(),
  outbound,
};
console.log(JSON.stringify(results, null, 2));
// Under `pnpm bench` the result goes to the file the orchestrator names (its summary keeps every result);
// alone, to a dated file in bench/results.
if (process.env.BENCH_RESULT_FILE)
  writeFileSync(process.env.BENCH_RESULT_FILE, `${JSON.stringify(results, null, 2)}\n`);
else {
  const dir = new URL('../../../bench/results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    new URL(`router-${results.date.replace(/[:.]/g, '-')}.json`, dir),
    `${JSON.stringify(results, null, 2)}\n`,
  );
}
await router.stop();
await probe.stop();
await h.stop();
process.exit(0);

async function seedSessions(list: string[]) {
  const now = new Date().toISOString();
  const pipeline = h.redis.pipeline();
  for (const user of list) {
    pipeline.set(
      `${h.config.REDIS_KEY_PREFIX}session:${conversationKey(h.config.GRAPH_PHONE_NUMBER_ID, user)}`,
      JSON.stringify({ state: 'agent', agentId: '1' }),
    );
    const window = { last_inbound_at: now, user: { wa_id: user } };
    pipeline.set(
      `${h.config.REDIS_KEY_PREFIX}window:${conversationKey(h.config.GRAPH_PHONE_NUMBER_ID, user)}`,
      JSON.stringify(window),
    );
  }
  await pipeline.exec();
}

/**
 * Agent replies through the router's limiter to the fake Graph API, which refuses what Meta would (130429, the
 * rule of `@wa-broker/shared/meta-throughput`): enough of them (`OUTBOUND_MESSAGES`, ≈ 13 s at 80/s) for a
 * steady rate, measured from the first accepted send to the last, to the fake Graph API's arrival times.
 */
async function measureOutbound() {
  const limit = h.config.RATE_LIMIT_PER_NUMBER;
  h.graph.enforceThroughput(limit);
  const before = h.graph.requests.length;
  const started = Date.now();
  // All produced at once, far ahead of the limit, so the sender is never short of work.
  await Promise.all(
    Array.from({ length: OUTBOUND_MESSAGES }, (_, i) =>
      h.agentSays(1, {
        waID: users[i % USERS],
        message_type: 'text',
        text: `out ${i}`,
        idempotency_key: `bench-${i}`,
      }),
    ),
  );
  const accepted = () => h.graph.requests.slice(before).filter((r) => r.status === 200);
  const deadline = started + (OUTBOUND_MESSAGES / limit) * 3000 + 30_000;
  while (accepted().length < OUTBOUND_MESSAGES && Date.now() < deadline) await sleep(50);
  const sent = accepted();
  const sends = sent.map((r) => r.at);
  const seconds = ((sends.at(-1) ?? started) - (sends[0] ?? started)) / 1000;
  const measured = sends.length > 1 && seconds > 0 ? (sends.length - 1) / seconds : 0;
  const pairRule = {
    capacity: h.config.RATE_LIMIT_PAIR_BURST,
    refillPerSecond: h.config.RATE_LIMIT_PAIR_PER_SECOND,
  };
  const perUser = new Map<string, number[]>();
  for (const r of sent) perUser.set(String(r.body.to), [...(perUser.get(String(r.body.to)) ?? []), r.at]);
  return {
    messages: OUTBOUND_MESSAGES,
    sent: sends.length,
    lost: OUTBOUND_MESSAGES - new Set(sent.map((r) => r.body.biz_opaque_callback_data)).size,
    seconds: Number(seconds.toFixed(2)),
    configured_per_second: limit,
    measured_per_second: Number(measured.toFixed(1)),
    ratio: Number((measured / limit).toFixed(3)),
    max_in_any_1s_window: maxInAnyWindow(sends),
    /** Accepted sends in each second from the first, to see a steady rate from a bursty one. */
    per_second: perSecond(sends),
    /** The shortest time between a send and the limit-th after it (Meta refuses under 1000 ms). */
    tightest_span_of_limit_ms: tightestSpanMs(sends, limit) ?? null,
    window_guard_ms: h.config.RATE_LIMIT_WINDOW_GUARD_MS,
    meta_130429: h.graph.refused130429,
    pair_limit: { burst: pairRule.capacity, per_second: pairRule.refillPerSecond },
    pair_limit_held: [...perUser.values()].every((times) => withinTokenBucket(times, pairRule)),
  };
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
