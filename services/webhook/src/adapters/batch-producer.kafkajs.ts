import { createIdempotentProducer } from '@wa-broker/shared/idempotent-producer';
import type { Logger } from '@wa-broker/shared/logger';
import { type Kafka, type Message, Partitioners } from 'kafkajs';
import type { BatchProducer } from './batch-producer.js';

/** The batch producer on kafkajs, the client every other service uses. */
export function createKafkajsBatchProducer(
  kafka: Kafka,
  ackTimeoutMs: number,
  logger: Logger,
): BatchProducer {
  // Replaced by a new producer id when the broker rejects its sequence (after a broker died and rejoined):
  // kafkajs alone would fail every later send.
  const producer = createIdempotentProducer(
    kafka,
    {
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner, // murmur2, same partition per key as Java clients
      retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: Number.MAX_SAFE_INTEGER },
    },
    logger,
  );
  return {
    connect: () => producer.connect(),
    isConnected: () => producer.isConnected(),
    disconnect: () => producer.disconnect(),
    async send(records) {
      const byTopic = new Map<string, Message[]>();
      for (const { topic, key, value, headers } of records) {
        const message: Message = { key, value, headers };
        const messages = byTopic.get(topic);
        if (messages) messages.push(message);
        else byTopic.set(topic, [message]);
      }
      const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
      await producer.sendBatch({ topicMessages, acks: -1, timeout: ackTimeoutMs });
    },
  };
}
