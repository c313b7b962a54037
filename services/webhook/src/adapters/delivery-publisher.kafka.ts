import type { Logger } from '@wa-broker/shared/logger';
import { traceHeaders } from '@wa-broker/shared/trace-context';
import type { PlannedRecord } from '../domain/plan-delivery.js';
import type { BatchProducer, TopicRecord } from './batch-producer.js';
import { CoalescingSender } from './coalescing-sender.js';
import type { WebhookMetrics } from './metrics.js';

export interface WebhookTopics {
  events: string;
  business: string;
  raw: string;
}

export interface PublisherSettings {
  producer: BatchProducer;
  topics: WebhookTopics;
  logger: Logger;
  metrics: WebhookMetrics;
  lingerMs: number;
  maxBatchBytes: number;
  ackTimeoutMs: number;
  maxQueuedBytes: number;
}

export interface DeliveryPublisher {
  /** Resolves once Kafka acknowledged every record (acks=all); rejects with `kafka_unavailable`. */
  publish(records: readonly PlannedRecord[]): Promise<void>;
  isReady(): boolean;
  connect(): Promise<void>;
  /** Sends what is queued, then disconnects. */
  close(): Promise<void>;
}

/** Publishes planned records through one idempotent producer, coalescing concurrent requests. */
export function createDeliveryPublisher(settings: PublisherSettings): DeliveryPublisher {
  const { producer } = settings;
  const sender = new CoalescingSender<TopicRecord>({
    send: (records) => producer.send(records),
    lingerMs: settings.lingerMs,
    maxBatchBytes: settings.maxBatchBytes,
    timeoutMs: settings.ackTimeoutMs,
    maxQueuedBytes: settings.maxQueuedBytes,
    onBatch: (stats) => settings.metrics.observeBatch(stats),
    onError: (error) => settings.logger.warn({ err: error }, 'kafka produce failed'),
  });
  return {
    publish(records) {
      // The caller's span (the delivery) travels with every record to the router.
      const trace = traceHeaders();
      const items = records.map((record) => toTopicRecord(record, settings.topics, trace));
      const bytes = items.reduce((sum, item) => sum + byteLength(item), 0);
      return sender.submit(items, bytes);
    },
    isReady: () => producer.isConnected() && !sender.isStalled(),
    connect: () => producer.connect(),
    async close() {
      await sender.drain();
      await producer.disconnect();
    },
  };
}

function toTopicRecord(
  record: PlannedRecord,
  topics: WebhookTopics,
  trace: Record<string, string>,
): TopicRecord {
  if (record.stream === 'raw')
    return {
      topic: topics.raw,
      key: record.key,
      value: record.value,
      headers: { ...record.headers, ...trace },
    };
  // A string value is written straight into the client's encoder, saving one Buffer per record.
  const value = JSON.stringify(record.value);
  const topic = record.stream === 'events' ? topics.events : topics.business;
  return { topic, key: record.key, value, headers: { 'trace-id': record.value.trace_id, ...trace } };
}

function byteLength(record: TopicRecord): number {
  const { value } = record;
  return (typeof value === 'string' ? Buffer.byteLength(value) : value.length) + 64;
}
