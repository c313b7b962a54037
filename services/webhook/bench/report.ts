import type { LoadResult } from './load.js';

export interface KafkaCheck {
  acceptedRequests: number;
  expectedEvents: number;
  publishedEvents: number;
  expectedRaw: number;
  publishedRaw: number;
  clientOk: number;
}

export type RunFigures = LoadResult;

/** A contestant's figures over its rounds: the median of each (req/s, latencies, CPU), plus the rounds' totals. */
export interface MedianFigures {
  label: string;
  rounds: number;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  cpuMicrosPerRequest?: number;
  rpsRange: [number, number];
  ok: number;
  non2xx: number;
  errors: number;
}

export interface BenchReport {
  date: string;
  machine: {
    cpus: number;
    model: string;
    node: string;
    platform: string;
    loadAverage: { before: number; after: number };
  };
  settings: Record<string, string | number>;
  /** One entry per contestant (each webhook client, each reference route). */
  medians: MedianFigures[];
  runs: Record<string, RunFigures[]>;
  /** The client the service uses unless WEBHOOK_KAFKA_CLIENT says otherwise; the ratios are its. */
  defaultClient: string;
  ratios: { vsNoop: number; vsSignature: number; atConnections: number };
  kafka: { client: string; check: KafkaCheck }[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function medianOf(label: string, results: readonly LoadResult[]): MedianFigures {
  const pick = (field: (r: LoadResult) => number) => median(results.map(field));
  const sum = (field: (r: LoadResult) => number) => results.reduce((total, r) => total + field(r), 0);
  const cpu = results.flatMap((r) => (r.cpuMicrosPerRequest === undefined ? [] : [r.cpuMicrosPerRequest]));
  const rps = results.map((r) => r.rps);
  return {
    label,
    rounds: results.length,
    connections: results[0]?.connections ?? 0,
    rps: Math.round(pick((r) => r.rps)),
    p50: pick((r) => r.p50),
    p99: pick((r) => r.p99),
    ...(cpu.length > 0 ? { cpuMicrosPerRequest: Math.round(median(cpu)) } : {}),
    rpsRange: [Math.min(...rps), Math.max(...rps)],
    ok: sum((r) => r.ok),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors + r.timeouts),
  };
}

const row = (m: MedianFigures) =>
  `| ${m.label} | ${m.rounds} | ${m.rps} (${m.rpsRange[0]}–${m.rpsRange[1]}) | ${m.p50} | ${m.p99} | ${m.cpuMicrosPerRequest ?? '–'} | ${m.ok} | ${m.non2xx} | ${m.errors} |`;

export function toMarkdown(report: BenchReport): string {
  const { ratios, machine } = report;
  return [
    `# Webhook benchmark, ${report.date}`,
    '',
    `${machine.cpus} × ${machine.model}, Node ${machine.node}; Kafka, the services and the load generator on the same machine. ` +
      `1-minute load average ${machine.loadAverage.before.toFixed(1)} before, ${machine.loadAverage.after.toFixed(1)} after.`,
    `Settings: ${Object.entries(report.settings)
      .map(([name, value]) => `${name}=${value}`)
      .join(', ')}. Contestants run interleaved, round by round; figures are medians over the rounds.`,
    '',
    '| run | rounds | req/s median (range) | p50 ms | p99 ms | service CPU µs/req | 2xx | non-2xx | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.medians.map(row),
    '',
    `Ratios at ${ratios.atConnections} connections (single-message POSTs, ${report.defaultClient}, the default client): ` +
      `webhook / do-nothing route = ${ratios.vsNoop.toFixed(2)}, webhook / signature-only route = ${ratios.vsSignature.toFixed(2)}.`,
    '',
    '| Kafka check | events expected | events published | raw expected | raw published | 200s seen by the load generator |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...report.kafka.map(
      ({ client, check: k }) =>
        `| ${client} | ${k.expectedEvents} | ${k.publishedEvents} | ${k.expectedRaw} | ${k.publishedRaw} | ${k.clientOk} |`,
    ),
    '',
    'Expected = records each service saw acknowledged by Kafka (its /metrics counters); published = records counted ' +
      'in its topics (end offsets) after the run. The load generator sees fewer 200s: autocannon drops the requests ' +
      'in flight when its clock stops, after they were published.',
    '',
  ].join('\n');
}
