import type { LoadResult } from './load.js';

export interface KafkaCheck {
  acceptedRequests: number;
  expectedEvents: number;
  publishedEvents: number;
  expectedRaw: number;
  publishedRaw: number;
  clientOk: number;
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
  webhook: LoadResult[];
  references: LoadResult[];
  ratios: { vsNoop: number; vsSignature: number; atConnections: number };
  kafka: KafkaCheck;
}

const row = (r: LoadResult) =>
  `| ${r.label} | ${r.connections} | ${r.rps} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${r.ok} | ${r.non2xx} | ${r.errors + r.timeouts} | ${r.cpuMicrosPerRequest ?? '–'} |`;

export function toMarkdown(report: BenchReport): string {
  const { kafka, ratios, machine } = report;
  return [
    `# Webhook benchmark, ${report.date}`,
    '',
    `${machine.cpus} × ${machine.model}, Node ${machine.node}; Kafka, the service and the load generator on the same machine. ` +
      `1-minute load average ${machine.loadAverage.before.toFixed(1)} before, ${machine.loadAverage.after.toFixed(1)} after.`,
    `Settings: ${Object.entries(report.settings)
      .map(([name, value]) => `${name}=${value}`)
      .join(', ')}.`,
    '',
    '| run | connections | req/s | p50 ms | p90 ms | p99 ms | max ms | 2xx | non-2xx | errors | service CPU µs/req |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.webhook.map(row),
    ...report.references.map(row),
    '',
    `Ratios at ${ratios.atConnections} connections (single-message POSTs): webhook / do-nothing route = ` +
      `${ratios.vsNoop.toFixed(2)}, webhook / signature-only route = ${ratios.vsSignature.toFixed(2)}.`,
    '',
    '| Kafka check | expected | published |',
    '| --- | ---: | ---: |',
    `| events on the webhook topic | ${kafka.expectedEvents} | ${kafka.publishedEvents} |`,
    `| raw deliveries | ${kafka.expectedRaw} | ${kafka.publishedRaw} |`,
    '',
    `Expected = records the service saw acknowledged by Kafka (its /metrics counters) for ` +
      `${kafka.expectedRaw} POSTs; it answered 200 to ${kafka.acceptedRequests} of them and the load generator ` +
      `counted ${kafka.clientOk} 2xx (autocannon drops the requests in flight when its clock stops). ` +
      'Published = records counted in Kafka (end offsets) after the run.',
    '',
  ].join('\n');
}
