import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export type RequestOutcome =
  | 'accepted'
  | 'unauthorized'
  | 'bad_request'
  | 'too_large'
  | 'unavailable'
  | 'verified'
  | 'forbidden'
  | 'error';

export interface WebhookMetrics {
  registry: Registry;
  countRequest(outcome: RequestOutcome): void;
  countEvents(kind: string, count: number): void;
  observeBatch(stats: { requests: number; items: number; seconds: number; ok: boolean }): void;
}

/** One registry per app (not prom-client's global one), so tests can build several apps in one process. */
export function createWebhookMetrics(): WebhookMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'webhook_requests_total',
    help: 'Webhook HTTP requests by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const events = new Counter({
    name: 'webhook_events_published_total',
    help: 'Records acknowledged by Kafka, by kind (message, status, error, business, raw)',
    labelNames: ['kind'],
    registers: [registry],
  });
  const produceSeconds = new Histogram({
    name: 'webhook_kafka_produce_seconds',
    help: 'Duration of one batched produce call until acks=all, by result',
    labelNames: ['result'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const batchRequests = new Histogram({
    name: 'webhook_kafka_batch_requests',
    help: 'HTTP requests coalesced into one produce call',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [registry],
  });
  const batchRecords = new Histogram({
    name: 'webhook_kafka_batch_records',
    help: 'Kafka records in one produce call',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
    registers: [registry],
  });
  return {
    registry,
    countRequest: (outcome) => requests.inc({ outcome }),
    countEvents: (kind, count) => events.inc({ kind }, count),
    observeBatch: (stats) => {
      produceSeconds.observe({ result: stats.ok ? 'ok' : 'failed' }, stats.seconds);
      batchRequests.observe(stats.requests);
      batchRecords.observe(stats.items);
    },
  };
}
