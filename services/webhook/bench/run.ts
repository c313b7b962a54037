import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { stackUp } from '@wa-broker/infra/stack';
import { testKafkaEnv } from '@wa-broker/infra/test-env';
import { batchBodies, benchSecret, type SignedBody, singleBodies } from './bodies.js';
import { type LoadResult, runLoad } from './load.js';
import { serviceDir, startProcess, stopProcess, waitForHttp } from './processes.js';
import { type BenchReport, medianOf, type RunFigures, toMarkdown } from './report.js';
import { type BenchedWebhook, startWebhook } from './webhook-process.js';

/**
 * `pnpm bench:webhook`: the service once per Kafka client (kafkajs, the default, and @platformatic/kafka) and the
 * reference routes, each in its own process, on throw-away topics; autocannon runs in this process. The runs are
 * interleaved round by round and each figure is the median of its rounds, so a noisy moment of the machine hits
 * every contestant alike.
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
// The first is the service's default client: the ratios are its.
const clients = (process.env.BENCH_CLIENTS ?? 'kafkajs,platformatic').split(',');
const referenceUrl = 'http://127.0.0.1:5511';
const settings = {
  LOG_LEVEL: 'warn',
  KAFKA_LINGER_MS: process.env.KAFKA_LINGER_MS ?? '2',
  WEBHOOK_TOPIC_PARTITIONS: '6',
};
const single = singleBodies(1000);
const batch = batchBodies(100);

await stackUp();
// Other work on the machine skews every figure: the 1-minute load average is reported with them.
const loadBefore = loadavg()[0] ?? 0;
// BENCH_NODE_ARGS adds Node flags to the services; BENCH_PROFILE=1 writes their V8 CPU profiles to
// bench/results/profile/ (git-ignored), summarised by `tsx bench/profile-summary.ts`.
const nodeArgs = [
  ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
  ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=bench/results/profile'] : []),
];
const kafkaEnv = testKafkaEnv();
const reference = startProcess('bench/reference-server.ts', { PORT: '5511', BENCH_SECRET: benchSecret });
const webhooks: BenchedWebhook[] = [];
try {
  for (const [index, client] of clients.entries())
    webhooks.push(await startWebhook({ client, port: 5510 + 2 * index, kafkaEnv, settings, nodeArgs }));
  await waitForHttp(`${referenceUrl}/noop`, { method: 'POST', body: '{}' }, 200);
  const report = await measureAll();
  writeResults(report);
  const lost = report.kafka.filter(
    ({ check }) => check.publishedEvents !== check.expectedEvents || check.publishedRaw !== check.expectedRaw,
  );
  if (lost.length > 0) {
    console.error(`MISMATCH: Kafka does not hold exactly what ${lost.map((k) => k.client)} acknowledged`);
    process.exitCode = 1;
  }
} finally {
  await Promise.all([...webhooks.map((webhook) => webhook.stop()), stopProcess(reference)]);
}

async function measureAll(): Promise<BenchReport> {
  const clientOk = new Map<string, number>();
  const runs = new Map<string, RunFigures[]>();
  const record = (name: string, result: LoadResult) => {
    runs.set(name, [...(runs.get(name) ?? []), result]);
    console.log(summary(name, result));
  };
  const contestants = [
    ...webhooks.map((webhook) => ({
      name: `webhook (${webhook.client}), 1 message/POST`,
      run: (secs: number) => loadWebhook(webhook, single, secs, clientOk),
    })),
    ...(
      [
        ['do-nothing Fastify route', '/noop'],
        ['signature + JSON.parse only', '/signature'],
      ] as const
    ).map(([name, path]) => ({
      name,
      run: (secs: number) =>
        runLoad({ label: name, url: `${referenceUrl}${path}`, connections, seconds: secs, bodies: single }),
    })),
  ];
  // Warm-up, not measured: connections, metadata, and the JIT. With 2 s each, the first measured round was still
  // compiling (kafkajs 5,157 req/s and 176 µs of CPU per request, then 7,752 and 8,947 in rounds 2 and 3).
  for (const contestant of contestants) await contestant.run(warmupSeconds);
  for (let round = 0; round < rounds; round++)
    for (const contestant of contestants) record(contestant.name, await contestant.run(seconds));
  for (const webhook of webhooks)
    record(
      `webhook (${webhook.client}), 20 items/POST`,
      await loadWebhook(webhook, batch, seconds, clientOk),
    );
  const kafka = await Promise.all(
    webhooks.map(async (webhook) => ({
      client: webhook.client,
      check: await webhook.checkKafka(clientOk.get(webhook.client) ?? 0),
    })),
  );
  const medians = [...runs].map(([name, results]) => medianOf(name, results));
  const rps = (name: string) => medians.find((m) => m.label === name)?.rps ?? 0;
  const defaultName = `webhook (${clients[0]}), 1 message/POST`;
  return {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? '?',
      node: process.version,
      platform: process.platform,
      loadAverage: { before: loadBefore, after: loadavg()[0] ?? 0 },
    },
    settings: {
      seconds,
      rounds,
      warmupSeconds,
      connections,
      ...settings,
      KAFKA_ACKS: 'all',
      idempotent: 'true',
    },
    medians,
    runs: Object.fromEntries(runs),
    defaultClient: clients[0] ?? '',
    ratios: {
      vsNoop: rps(defaultName) / Math.max(rps('do-nothing Fastify route'), 1),
      vsSignature: rps(defaultName) / Math.max(rps('signature + JSON.parse only'), 1),
      atConnections: connections,
    },
    kafka,
  };
}

async function loadWebhook(
  webhook: BenchedWebhook,
  bodies: SignedBody[],
  secs: number,
  clientOk: Map<string, number>,
): Promise<LoadResult> {
  const cpuBefore = await webhook.cpuSeconds();
  const label = `webhook (${webhook.client})`;
  const loaded = await runLoad({ label, url: `${webhook.url}/webhook`, connections, seconds: secs, bodies });
  const cpu = (await webhook.cpuSeconds()) - cpuBefore;
  clientOk.set(webhook.client, (clientOk.get(webhook.client) ?? 0) + loaded.ok);
  // CPU time per request is the figure that other load on the machine disturbs least.
  return { ...loaded, cpuMicrosPerRequest: Math.round((cpu * 1e6) / Math.max(loaded.requests, 1)) };
}

function writeResults(report: BenchReport): void {
  const markdown = toMarkdown(report);
  console.log(`\n${markdown}`);
  const dir = join(serviceDir, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(join(dir, 'webhook-bench.json'), json);
  writeFileSync(join(dir, 'webhook-bench.md'), markdown);
  // `pnpm bench` (the orchestrator) reads the figures from here.
  if (process.env.BENCH_RESULT_FILE) writeFileSync(process.env.BENCH_RESULT_FILE, json);
}

function summary(name: string, r: LoadResult): string {
  const errors = r.errors + r.timeouts;
  const cpu = r.cpuMicrosPerRequest === undefined ? '' : `, service CPU ${r.cpuMicrosPerRequest} µs/req`;
  return `${name} @${r.connections}: ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, 2xx ${r.ok}, non-2xx ${r.non2xx}, errors ${errors}${cpu}`;
}
