import { createIdempotentProducer, type IdempotentProducer } from '@wa-broker/shared/idempotent-producer';
import type { Logger } from '@wa-broker/shared/logger';
import { traceHeaders } from '@wa-broker/shared/trace-context';
import { type Kafka, type Message, Partitioners } from 'kafkajs';
import type { PlannedRecord } from '../domain/plan-delivery.js';
import { CoalescingSender } from './coalescing-sender.js';
import type { WebhookMetrics } from './metrics.js';

export interface WebhookTopics {
  events: string;
  business: string;
  raw: string;
}

export interface PublisherSettings {
  kafka: Kafka;
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

interface TopicMessage {
  topic: string;
  message: Message;
}

/** Publishes planned records through one idempotent producer, coalescing concurrent requests. */
export function createDeliveryPublisher(settings: PublisherSettings): DeliveryPublisher {
  // Idempotent with acks=all: a retried produce is never written twice. Replaced by a new producer id when the
  // broker rejects its sequence (after a broker died and rejoined): kafkajs alone would fail every later send.
  const producer = createIdempotentProducer(
    settings.kafka,
    {
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner, // murmur2, same partition per key as Java clients
      retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: Number.MAX_SAFE_INTEGER },
    },
    settings.logger,
  );
  const sender = new CoalescingSender<TopicMessage>({
    send: (items) => sendBatch(producer, items, settings.ackTimeoutMs),
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
      const items = records.map((record) => withHeaders(toTopicMessage(record, settings.topics), trace));
      const bytes = items.reduce((sum, item) => sum + byteLength(item.message), 0);
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

async function sendBatch(
  producer: IdempotentProducer,
  items: TopicMessage[],
  timeoutMs: number,
): Promise<void> {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, message } of items) {
    const messages = byTopic.get(topic);
    if (messages) messages.push(message);
    else byTopic.set(topic, [message]);
  }
  const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
  await producer.sendBatch({ topicMessages, acks: -1, timeout: timeoutMs });
}

function toTopicMessage(record: PlannedRecord, topics: WebhookTopics): TopicMessage {
  if (record.stream === 'raw')
    return { topic: topics.raw, message: { key: record.key, value: record.value, headers: record.headers } };
  // A string value is written straight into kafkajs's encoder, saving one Buffer per record.
  const value = JSON.stringify(record.value);
  const topic = record.stream === 'events' ? topics.events : topics.business;
  return { topic, message: { key: record.key, value, headers: { 'trace-id': record.value.trace_id } } };
}

function withHeaders(item: TopicMessage, trace: Record<string, string>): TopicMessage {
  if (Object.keys(trace).length === 0) return item;
  return { ...item, message: { ...item.message, headers: { ...item.message.headers, ...trace } } };
}

function byteLength(message: Message): number {
  const value = message.value as Buffer | string;
  return (typeof value === 'string' ? Buffer.byteLength(value) : value.length) + 64;
}
