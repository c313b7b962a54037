import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { stackUp } from '@wa-broker/infra/stack';
import { testStackEnv } from '@wa-broker/infra/test-env';
import { Kafka, logLevel } from 'kafkajs';
import { batchBodies, benchSecret, type SignedBody, singleBodies } from './bodies.js';
import { type LoadResult, runLoad } from './load.js';
import { readCounter, serviceDir, startProcess, stopProcess, waitForHttp } from './processes.js';
import { type BenchReport, toMarkdown } from './report.js';

// `pnpm bench:webhook`: the service (own process) against the shared local Kafka, autocannon in this process.
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const levels = (process.env.BENCH_CONNECTIONS ?? '10,50,100').split(',').map(Number);
const refConnections = 50;
const servicePort = 5510;
const referencePort = 5511;

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

await stackUp();
// BENCH_PROFILE=1 writes a V8 CPU profile of the service to bench/results/profile/ (git-ignored *.cpuprofile).
const profileArgs = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=bench/results/profile'] : [];
const service = startProcess(
  'src/main.ts',
  {
    ...settings,
    ...topics,
    HOST: '127.0.0.1',
    PORT: String(servicePort),
    KAFKA_BROKERS: brokers,
    META_VERIFY_TOKEN: 'bench',
    META_APP_SECRETS: benchSecret,
  },
  profileArgs,
);
const reference = startProcess('bench/reference-server.ts', {
  PORT: String(referencePort),
  BENCH_SECRET: benchSecret,
});
const serviceUrl = `http://127.0.0.1:${servicePort}`;
const referenceUrl = `http://127.0.0.1:${referencePort}`;

try {
  await waitForHttp(`${serviceUrl}/readyz`, {}, 200);
  await waitForHttp(`${referenceUrl}/noop`, { method: 'POST', body: '{}' }, 200);
  const single = singleBodies(1000);
  const batch = batchBodies(100);
  let clientOk = 0;
  const measure = async (label: string, connections: number, bodies: SignedBody[], secs = seconds) => {
    const result = await runLoad({ label, url: `${serviceUrl}/webhook`, connections, seconds: secs, bodies });
    clientOk += result.ok;
    console.log(summary(result));
    return result;
  };

  await measure('warm-up (not reported)', 50, single, 3);
  const webhook: LoadResult[] = [];
  for (const connections of levels)
    webhook.push(await measure('webhook, 1 message/POST', connections, single));
  webhook.push(await measure('webhook, 20 items/POST', refConnections, batch));

  const references: LoadResult[] = [];
  for (const [label, path] of [
    ['do-nothing Fastify route', '/noop'],
    ['signature + JSON.parse only', '/signature'],
  ] as const) {
    await runLoad({
      label,
      url: `${referenceUrl}${path}`,
      connections: refConnections,
      seconds: 2,
      bodies: single,
    });
    const result = await runLoad({
      label,
      url: `${referenceUrl}${path}`,
      connections: refConnections,
      seconds,
      bodies: single,
    });
    console.log(summary(result));
    references.push(result);
  }

  // What the service promised: records whose produce Kafka acknowledged before it answered (or tried to
  // answer: autocannon drops the requests in flight when its clock stops, after they were published).
  const counter = (series: string) => readCounter(`${serviceUrl}/metrics`, series);
  const acked = await counter('webhook_events_published_total{kind="raw"}');
  const ackedEvents =
    (await counter('webhook_events_published_total{kind="message"}')) +
    (await counter('webhook_events_published_total{kind="status"}')) +
    (await counter('webhook_events_published_total{kind="error"}'));
  const acceptedRequests = await counter('webhook_requests_total{outcome="accepted"}');
  const published = await countTopics([topics.WEBHOOK_TOPIC, topics.RAW_EVENT_LOG_TOPIC]);
  const atLevel =
    webhook.find((r) => r.connections === refConnections && r.label.includes('1 message')) ?? webhook[0];
  const ratio = (ref: LoadResult | undefined) => (atLevel && ref ? atLevel.rps / ref.rps : 0);
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? '?',
      node: process.version,
      platform: process.platform,
    },
    settings: { seconds, ...settings, KAFKA_ACKS: 'all', idempotent: 'true' },
    webhook,
    references,
    ratios: {
      vsNoop: ratio(references[0]),
      vsSignature: ratio(references[1]),
      atConnections: refConnections,
    },
    kafka: {
      acceptedRequests,
      expectedEvents: ackedEvents,
      publishedEvents: published[0] ?? 0,
      expectedRaw: acked,
      publishedRaw: published[1] ?? 0,
      clientOk,
    },
  };
  const markdown = toMarkdown(report);
  console.log(`\n${markdown}`);
  const dir = join(serviceDir, 'bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'webhook-bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'webhook-bench.md'), markdown);
  const lost =
    report.kafka.publishedEvents < report.kafka.expectedEvents ||
    report.kafka.publishedRaw < report.kafka.expectedRaw;
  if (lost) {
    console.error('LOST: Kafka holds fewer records than the 200s promised');
    process.exitCode = 1;
  }
} finally {
  await Promise.all([stopProcess(service), stopProcess(reference)]);
  await deleteTopics(Object.values(topics));
}

function summary(r: LoadResult): string {
  return `${r.label} @${r.connections}: ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, 2xx ${r.ok}, non-2xx ${r.non2xx}, errors ${r.errors + r.timeouts}`;
}

async function countTopics(names: string[]): Promise<number[]> {
  const admin = new Kafka({ clientId: 'bench', brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await Promise.all(
      names.map(async (topic) =>
        (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0),
      ),
    );
  } finally {
    await admin.disconnect();
  }
}

async function deleteTopics(names: string[]): Promise<void> {
  const admin = new Kafka({ clientId: 'bench', brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.deleteTopics({ topics: names }).catch(() => undefined);
  await admin.disconnect();
}
