import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createLogger } from '@wa-broker/shared/logger';
import { conversationKey } from '@wa-broker/shared/user-identity';
import { startHarness } from '../test/support/harness.js';
import { percentile, startProbe } from './probe.js';
import { spawnRouter } from './router-process.js';

/**
 * Inbound throughput and the router's added latency (record timestamps, see probe.ts) with the router in a
 * process of its own, then the outbound rate against the fake Graph API. Short on purpose: the machine is shared.
 */
const USERS = 200;
const BURST_EVENTS = 4000;
const PACED_RATE = 500;
const PACED_SECONDS = 4;
const OUTBOUND_MESSAGES = 240;

const h = await startHarness({ LOG_LEVEL: 'silent', RATE_LIMIT_PAIR_BURST: '10' });
const inTopic = h.topics('a1').in;
const probe = await startProbe({
  brokers: h.config.KAFKA_BROKERS,
  logger: createLogger({ service: 'router-bench', level: 'silent' }),
  id: h.id,
  webhookTopic: h.config.WEBHOOK_TOPIC,
  inTopic,
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
async function waitArrived(wamids: string[], ms: number) {
  const deadline = Date.now() + ms;
  while (probe.arrived(wamids) < wamids.length && Date.now() < deadline) await sleep(50);
}

const burst: string[] = [];
for (let i = 0; i < BURST_EVENTS; i += 500) burst.push(...(await produce(500)));
await waitArrived(burst, 60_000);

const paced: string[] = [];
// 5 events every 10 ms: a steady 500/s, one produce request per tick.
const TICK_MS = 10;
const pacedStart = Date.now();
for (let tick = 0; tick < (PACED_SECONDS * 1000) / TICK_MS; tick++) {
  paced.push(...(await produce((PACED_RATE * TICK_MS) / 1000)));
  await sleep(Math.max(0, pacedStart + (tick + 1) * TICK_MS - Date.now()));
}
await waitArrived(paced, 30_000);
const added = probe.added(paced);
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
    lost: paced.length - probe.arrived(paced),
  },
  out_of_order: probe.outOfOrder(),
  outbound,
};
console.log(JSON.stringify(results, null, 2));
const dir = new URL('../../../bench/results/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(
  new URL(`router-${results.date.replace(/[:.]/g, '-')}.json`, dir),
  `${JSON.stringify(results, null, 2)}\n`,
);
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

async function measureOutbound() {
  const before = h.graph.requests.length;
  const started = Date.now();
  for (let i = 0; i < OUTBOUND_MESSAGES; i++)
    await h.agentSays(1, {
      waID: users[i % USERS],
      message_type: 'text',
      text: `out ${i}`,
      idempotency_key: `bench-${i}`,
    });
  while (h.graph.requests.length - before < OUTBOUND_MESSAGES && Date.now() - started < 30_000)
    await sleep(20);
  const sends = h.graph.requests.slice(before).map((r) => r.at);
  const seconds = ((sends.at(-1) ?? started) - (sends[0] ?? started)) / 1000;
  const maxPerSecond = Math.max(
    0,
    ...sends.map((at) => sends.filter((x) => x >= at && x < at + 1000).length),
  );
  return {
    messages: OUTBOUND_MESSAGES,
    sent: sends.length,
    configured_per_second: h.config.RATE_LIMIT_PER_NUMBER,
    measured_per_second: Math.round(sends.length / Math.max(seconds, 0.001)),
    max_in_any_1s_window: maxPerSecond,
    meta_130429: maxPerSecond > h.config.RATE_LIMIT_PER_NUMBER ? 'would occur' : 0,
  };
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
