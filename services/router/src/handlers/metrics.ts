import { Counter, Gauge, Histogram, Registry } from 'prom-client';

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
    lag: new Gauge({
      name: 'router_consumer_lag',
      help: 'Messages behind the end of the partition',
      labelNames: ['topic', 'partition'],
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
