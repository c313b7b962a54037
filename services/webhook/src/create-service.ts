import { createKafka, kafkaConnection } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import type { FastifyInstance } from 'fastify';
import type { BatchProducer } from './adapters/batch-producer.js';
import { createKafkajsBatchProducer } from './adapters/batch-producer.kafkajs.js';
import { createPlatformaticBatchProducer } from './adapters/batch-producer.platformatic.js';
import { createDeliveryPublisher, type DeliveryPublisher } from './adapters/delivery-publisher.kafka.js';
import { createWebhookMetrics } from './adapters/metrics.js';
import { ensureWebhookTopics } from './adapters/topics.kafka.js';
import { buildApp } from './app.js';
import type { WebhookConfig } from './config.js';

export interface WebhookService {
  app: FastifyInstance;
  publisher: DeliveryPublisher;
  /** Stops accepting HTTP, sends what is queued, disconnects from Kafka. */
  close(): Promise<void>;
}

/** Creates the topics, connects the producer and builds the app: what main.ts, the tests and the bench share. */
export async function createWebhookService(config: WebhookConfig, logger: Logger): Promise<WebhookService> {
  const connection = { ...kafkaConnection(config), clientId: config.KAFKA_CLIENT_ID };
  const kafka = createKafka({ ...connection, logger });
  const topics = {
    events: config.WEBHOOK_TOPIC,
    business: config.BUSINESS_EVENTS_TOPIC,
    raw: config.RAW_EVENT_LOG_TOPIC,
  };
  await ensureWebhookTopics(kafka, {
    topics,
    partitions: config.WEBHOOK_TOPIC_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    maxMessageBytes: 2 * config.WEBHOOK_BODY_LIMIT_BYTES + 1024 * 1024,
    rawRetentionMs: config.RAW_EVENT_LOG_RETENTION_MS,
  });
  const metrics = createWebhookMetrics();
  const producer: BatchProducer =
    config.WEBHOOK_KAFKA_CLIENT === 'kafkajs'
      ? createKafkajsBatchProducer(kafka, config.KAFKA_ACK_TIMEOUT_MS, logger)
      : createPlatformaticBatchProducer(connection, Object.values(topics));
  const publisher = createDeliveryPublisher({
    producer,
    topics,
    logger,
    metrics,
    lingerMs: config.KAFKA_LINGER_MS,
    maxBatchBytes: config.KAFKA_MAX_BATCH_BYTES,
    ackTimeoutMs: config.KAFKA_ACK_TIMEOUT_MS,
    maxQueuedBytes: config.KAFKA_MAX_QUEUED_BYTES,
  });
  await publisher.connect();
  const app = await buildApp({
    logger,
    verifyToken: config.META_VERIFY_TOKEN,
    appSecrets: config.META_APP_SECRETS,
    bodyLimitBytes: config.WEBHOOK_BODY_LIMIT_BYTES,
    publisher,
    metrics,
  });
  return {
    app,
    publisher,
    async close() {
      await app.close();
      await publisher.close();
    },
  };
}
