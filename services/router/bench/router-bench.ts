import { mkdirSync, writeFileSync } from 'node:fs';
import { startHarness } from '../test/support/harness.js';

/** Inbound throughput and latency, then outbound rate vs the fake Graph API. Short: the machine is shared. */
const USERS = 200;
const BURST_EVENTS = 4000;
const PACED_RATE = 500;
const PACED_SECONDS = 4;
const OUTBOUND_MESSAGES = 240;

const h = await startHarness({ LOG_LEVEL: 'silent', RATE_LIMIT_PAIR_BURST: '10' });
await h.putAgent(1, 'Bench');
const inTopic = h.topics('a1').in;
const users = Array.from({ length: USERS }, (_, i) => `1999${String(i).padStart(6, '0')}`);
const now = new Date().toISOString();
for (const user of users) {
  await h.redis.set(
    `${h.config.REDIS_KEY_PREFIX}session:${user}`,
    JSON.stringify({ state: 'agent', agentId: '1' }),
  );
  await h.redis.set(
    `${h.config.REDIS_KEY_PREFIX}window:${user}`,
    JSON.stringify({ last_inbound_at: now, user: { wa_id: user } }),
  );
}
const sentAt = new Map<string, number>();
const latencies: number[] = [];
const lastSeq = new Map<string, number>();
let outOfOrder = 0;
let received = 0;
await h.watch([inTopic]);
await h.router.start();
// Collect from the watcher's store by polling (the harness keeps received events in memory).
let seen = 0;
const poll = setInterval(() => {
  const list = h.received(inTopic);
  for (; seen < list.length; seen++) {
    const e = list[seen] as { wamid?: string; waID: string; text: string };
    if (!e.wamid || !sentAt.has(e.wamid)) continue;
    latencies.push(Date.now() - (sentAt.get(e.wamid) ?? 0));
    const seq = Number(e.text);
    if (seq <= (lastSeq.get(e.waID) ?? -1)) outOfOrder++;
    lastSeq.set(e.waID, seq);
    received++;
  }
}, 2);

let seq = 0;
async function produce(count: number) {
  const batch = Array.from({ length: count }, () => {
    const user = users[seq % USERS] ?? '';
    const wamid = `wamid.bench.${seq}`;
    return { user, wamid, text: String(seq++) };
  });
  await Promise.all(
    batch.map(async (m) => {
      sentAt.set(m.wamid, Date.now());
      await h.text(m.user, m.text, m.wamid);
    }),
  );
}
const waitAll = async (target: number, ms: number) => {
  const deadline = Date.now() + ms;
  while (received < target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
};

const t0 = Date.now();
for (let i = 0; i < BURST_EVENTS; i += 500) await produce(500);
await waitAll(BURST_EVENTS, 60_000);
const burstSeconds = (Date.now() - t0) / 1000;
const burstRate = received / burstSeconds;
const burstLost = BURST_EVENTS - received;

latencies.length = 0;
const pacedStart = received;
for (let s = 0; s < PACED_SECONDS * 10; s++) {
  const tick = Date.now();
  await produce(PACED_RATE / 10);
  await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - tick))));
}
await waitAll(pacedStart + PACED_RATE * PACED_SECONDS, 30_000);
const sorted = [...latencies].sort((a, b) => a - b);
const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const pacedLost = PACED_RATE * PACED_SECONDS - (received - pacedStart);

const before = h.graph.requests.length;
const o0 = Date.now();
for (let i = 0; i < OUTBOUND_MESSAGES; i++)
  await h.agentSays(1, {
    waID: users[i % USERS],
    message_type: 'text',
    text: `out ${i}`,
    idempotency_key: `bench-${i}`,
  });
while (h.graph.requests.length - before < OUTBOUND_MESSAGES && Date.now() - o0 < 30_000)
  await new Promise((r) => setTimeout(r, 20));
const sends = h.graph.requests.slice(before).map((r) => r.at);
const outSeconds = ((sends.at(-1) ?? o0) - (sends[0] ?? o0)) / 1000;
const maxPerSecond = Math.max(0, ...sends.map((at) => sends.filter((x) => x >= at && x < at + 1000).length));
clearInterval(poll);

const results = {
  date: new Date().toISOString(),
  inbound_burst: { events: BURST_EVENTS, events_per_second: Math.round(burstRate), lost: burstLost },
  inbound_paced: {
    rate: PACED_RATE,
    seconds: PACED_SECONDS,
    p50_ms: p(0.5),
    p99_ms: p(0.99),
    lost: pacedLost,
  },
  out_of_order: outOfOrder,
  outbound: {
    messages: OUTBOUND_MESSAGES,
    sent: sends.length,
    configured_per_second: 80,
    measured_per_second: Math.round(sends.length / Math.max(outSeconds, 0.001)),
    max_in_any_1s_window: maxPerSecond,
    meta_130429: maxPerSecond > 80 ? 'would occur' : 0,
  },
};
console.log(JSON.stringify(results, null, 2));
mkdirSync(new URL('../../../bench/results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL(`../../../bench/results/router-${results.date.replace(/[:.]/g, '-')}.json`, import.meta.url),
  `${JSON.stringify(results, null, 2)}\n`,
);
await h.stop();
process.exit(0);
