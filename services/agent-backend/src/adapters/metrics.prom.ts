import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** One registry per app, so two instances in one test process do not share counters. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    eventsConsumed: new Counter({
      name: 'agent_backend_events_total',
      help: 'Agent events read from Kafka, by stream (store|push), topic kind and outcome.',
      labelNames: ['stream', 'kind', 'outcome'] as const,
      registers: [registry],
    }),
    operatorConnections: new Gauge({
      name: 'agent_backend_operator_connections',
      help: 'Operator WebSocket connections open on this instance.',
      registers: [registry],
    }),
    operatorFrames: new Counter({
      name: 'agent_backend_operator_frames_total',
      help: 'Frames received from operators, by type (invalid for frames that failed validation).',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    replies: new Counter({
      name: 'agent_backend_replies_total',
      help: 'Operator replies, by result (accepted|refused|queue_failed).',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    readReceipts: new Counter({
      name: 'agent_backend_read_receipts_total',
      help: 'mark_as_read sent to WhatsApp on mark_read, by result (sent|already_sent|nothing_to_read|failed).',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    typingIndicators: new Counter({
      name: 'agent_backend_typing_indicators_total',
      help: 'Operator typing → typing indicator, by result (sent|throttled|window_closed|no_inbound_message|failed).',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
