import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { stackUp } from '@wa-broker/infra/stack';
import { testStackEnv } from '@wa-broker/infra/test-env';
import { batchBodies, benchSecret, type SignedBody, singleBodies } from './bodies.js';
import { countTopics, deleteTopics } from './kafka-count.js';
import { type LoadResult, runLoad } from './load.js';
import { readCounter, serviceDir, startProcess, stopProcess, waitForHttp } from './processes.js';
import { type BenchReport, type KafkaCheck, toMarkdown } from './report.js';

// `pnpm bench:webhook`: the service and the reference routes each in their own process, against the shared
// local Kafka on throw-away topics; autocannon runs in this process.
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const levels = (process.env.BENCH_CONNECTIONS ?? '10,50,100').split(',').map(Number);
const refConnections = 50;
const serviceUrl = 'http://127.0.0.1:5510';
const referenceUrl = 'http://127.0.0.1:5511';
const brokers = testStackEnv().KAFKA_BROKERS;
const prefix = `bench-${randomUUID().slice(0, 8)}`;
const topics = {
  WEBHOOK_TOPIC: `${prefix}-webhook`,
  BUSINESS_EVENTS_TOPIC: `${prefix}-business`,
  RAW_EVENT_LOG_TOPIC: `${prefix}-raw`,
};
const settings = {
  LOG_LEVEL: 'warn',
  KAFKA_LINGER_MS: process.env.KAFKA_LINGER_MS ?? '2',
  WEBHOOK_TOPIC_PARTITIONS: '6',
};
const single = singleBodies(1000);
const batch = batchBodies(100);
let clientOk = 0;

await stackUp();
// Other work on the machine skews every figure: the 1-minute load average is reported with them.
const loadBefore = loadavg()[0] ?? 0;
// BENCH_NODE_ARGS adds Node flags to the service; BENCH_PROFILE=1 writes its V8 CPU profile to
// bench/results/profile/ (git-ignored), summarised by `tsx bench/profile-summary.ts`.
const profileArgs = [
  ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
  ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=bench/results/profile'] : []),
];
const serviceEnv = { ...settings, ...topics, HOST: '127.0.0.1', PORT: '5510', KAFKA_BROKERS: brokers };
const service = startProcess(
  'src/main.ts',
  { ...serviceEnv, META_VERIFY_TOKEN: 'bench', META_APP_SECRETS: benchSecret },
  profileArgs,
);
const reference = startProcess('bench/reference-server.ts', { PORT: '5511', BENCH_SECRET: benchSecret });
try {
  await waitForHttp(`${serviceUrl}/readyz`, {}, 200);
  await waitForHttp(`${referenceUrl}/noop`, { method: 'POST', body: '{}' }, 200);
  const webhook = await measureWebhook();
  const references = await measureReferences();
  const report = buildReport(webhook, references, await checkKafka());
  writeResults(report);
  const { kafka } = report;
  if (kafka.publishedEvents !== kafka.expectedEvents || kafka.publishedRaw !== kafka.expectedRaw) {
    console.error('MISMATCH: Kafka does not hold exactly what the service acknowledged');
    process.exitCode = 1;
  }
} finally {
  await Promise.all([stopProcess(service), stopProcess(reference)]);
  await deleteTopics(brokers, Object.values(topics));
}

async function measure(label: string, connections: number, bodies: SignedBody[], secs = seconds) {
  const cpuBefore = await readCounter(`${serviceUrl}/metrics`, 'process_cpu_seconds_total');
  const loaded = await runLoad({ label, url: `${serviceUrl}/webhook`, connections, seconds: secs, bodies });
  const cpu = (await readCounter(`${serviceUrl}/metrics`, 'process_cpu_seconds_total')) - cpuBefore;
  // CPU time per request is the figure that other load on the machine disturbs least.
  const result = { ...loaded, cpuMicrosPerRequest: Math.round((cpu * 1e6) / Math.max(loaded.requests, 1)) };
  clientOk += result.ok;
  console.log(summary(result));
  return result;
}

async function measureWebhook(): Promise<LoadResult[]> {
  await measure('warm-up (not reported)', 50, single, 3);
  const results: LoadResult[] = [];
  for (const connections of levels)
    results.push(await measure('webhook, 1 message/POST', connections, single));
  results.push(await measure('webhook, 20 items/POST', refConnections, batch));
  return results;
}

async function measureReferences(): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  const routes = [
    ['do-nothing Fastify route', '/noop'],
    ['signature + JSON.parse only', '/signature'],
  ] as const;
  for (const [label, path] of routes) {
    const spec = { label, url: `${referenceUrl}${path}`, connections: refConnections, bodies: single };
    await runLoad({ ...spec, seconds: 2 }); // warm-up
    const result = await runLoad({ ...spec, seconds });
    console.log(summary(result));
    results.push(result);
  }
  return results;
}

/**
 * What the service promised (records whose produce Kafka acknowledged, from its /metrics) against what Kafka
 * holds. The service's counters, not autocannon's 2xx: autocannon drops the requests in flight when its clock
 * stops, after they were published.
 */
async function checkKafka(): Promise<KafkaCheck> {
  const counter = (series: string) => readCounter(`${serviceUrl}/metrics`, series);
  const published = (kind: string) => counter(`webhook_events_published_total{kind="${kind}"}`);
  const expectedEvents =
    (await published('message')) + (await published('status')) + (await published('error'));
  const [publishedEvents = 0, publishedRaw = 0] = await countTopics(brokers, [
    topics.WEBHOOK_TOPIC,
    topics.RAW_EVENT_LOG_TOPIC,
  ]);
  return {
    acceptedRequests: await counter('webhook_requests_total{outcome="accepted"}'),
    expectedEvents,
    publishedEvents,
    expectedRaw: await published('raw'),
    publishedRaw,
    clientOk,
  };
}

function buildReport(webhook: LoadResult[], references: LoadResult[], kafka: KafkaCheck): BenchReport {
  const atLevel = webhook.find((r) => r.connections === refConnections && r.label.includes('1 message'));
  const ratio = (ref: LoadResult | undefined) => (atLevel && ref ? atLevel.rps / ref.rps : 0);
  return {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? '?',
      node: process.version,
      platform: process.platform,
      loadAverage: { before: loadBefore, after: loadavg()[0] ?? 0 },
    },
    settings: { seconds, ...settings, KAFKA_ACKS: 'all', idempotent: 'true' },
    webhook,
    references,
    ratios: {
      vsNoop: ratio(references[0]),
      vsSignature: ratio(references[1]),
      atConnections: refConnections,
    },
    kafka,
  };
}

function writeResults(report: BenchReport): void {
  const markdown = toMarkdown(report);
  console.log(`\n${markdown}`);
  const dir = join(serviceDir, 'bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'webhook-bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'webhook-bench.md'), markdown);
}

function summary(r: LoadResult): string {
  const errors = r.errors + r.timeouts;
  const cpu = r.cpuMicrosPerRequest === undefined ? '' : `, service CPU ${r.cpuMicrosPerRequest} µs/req`;
  return `${r.label} @${r.connections}: ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, 2xx ${r.ok}, non-2xx ${r.non2xx}, errors ${errors}${cpu}`;
}
