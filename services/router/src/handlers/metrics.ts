import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OutRecord } from '../domain/ports.js';

/** The router's metrics, on a registry of its own so tests and several apps in one process do not clash. */
export function createMetrics() {
  const registry = new Registry();
  return {
    registry,
    routed: new Counter({
      name: 'router_inbound_routed_total',
      help: 'Inbound messages routed, by type',
      labelNames: ['type'],
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'router_inbound_duplicates_total',
      help: 'Redelivered webhook events dropped',
      registers: [registry],
    }),
    statuses: new Counter({
      name: 'router_statuses_total',
      help: 'Statuses, by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    sends: new Counter({
      name: 'router_sends_total',
      help: 'Graph API sends, by outcome and Meta error code',
      labelNames: ['outcome', 'code'],
      registers: [registry],
    }),
    rateWait: new Histogram({
      name: 'router_rate_limiter_wait_seconds',
      help: 'Time spent waiting for the rate limiter',
      buckets: [0, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
      registers: [registry],
    }),
    placeHeld: new Histogram({
      name: 'router_send_place_held_seconds',
      help: 'From a send’s start in the number’s window (its grant, or when the place granted ahead freed) to its Graph answer: each one adds to the 1 s the place is held',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'router_consumer_lag',
      help: 'Records behind the end of the partition, by consumer group (adapters/consumer-lag.kafka.ts)',
      labelNames: ['group', 'topic', 'partition'],
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'router_dead_letters_total',
      help: 'Records published to the dead-letter topic, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    batchPhase: new Histogram({
      name: 'router_batch_phase_seconds',
      help: 'Time of each step of a consumed batch: begin (the transaction), process (Redis and decisions), commit (produce, offsets, end)',
      labelNames: ['consumer', 'phase'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 2],
      registers: [registry],
    }),
    windowClosed: new Counter({
      name: 'router_window_closed_total',
      help: 'window_closed errors published to agents, by who refused (router: before sending; meta: 131047)',
      labelNames: ['by'],
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

/**
 * Counts what Kafka has taken (a committed transaction, an acknowledged produce), not what a handler built: an
 * aborted batch is replayed and would count its dead letters twice.
 */
export function countPublished(
  metrics: Metrics,
  deadLetterTopic: string,
  records: readonly OutRecord[],
): void {
  for (const { topic, value } of records) {
    const fields = (value ?? {}) as { reason?: unknown; code?: unknown; meta_error?: unknown };
    if (topic === deadLetterTopic) metrics.deadLetters.inc({ reason: String(fields.reason ?? 'unknown') });
    // Only an agent's error event has a string `code` at the top (statuses and costs nest Meta's numeric ones).
    else if (fields.code === 'window_closed')
      metrics.windowClosed.inc({ by: fields.meta_error === undefined ? 'router' : 'meta' });
  }
}
