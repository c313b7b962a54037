import { randomUUID } from 'node:crypto';
import { testKafkaEnv, testKafkaSecurity } from '@wa-broker/infra/test-env';
import { deleteTestTopics } from '@wa-broker/infra/test-topics';
import { loadConfig } from '@wa-broker/shared/config';
import { fetchTopicEnds } from '@wa-broker/shared/kafka';
import { createLogger } from '@wa-broker/shared/logger';
import type { FastifyInstance } from 'fastify';
import { Kafka, logLevel } from 'kafkajs';
import { serviceConfig, type WebhookConfig } from '../../src/config.js';
import { createWebhookService, type WebhookService } from '../../src/create-service.js';
import { testAppSecret } from './meta-fixtures.js';

export const verifyToken = 'test-verify-token';

export interface Harness {
  service: WebhookService;
  config: WebhookConfig;
  topics: { events: string; business: string; raw: string };
  /** Every topic of this harness starts with it (a test's own, e.g. a replay target, should too). */
  prefix: string;
  /** Closes the service, then deletes every topic named with `prefix`. */
  close(): Promise<void>;
}

/** A webhook service on fresh, uniquely named topics, so tests never see each other's records. */
export async function startWebhook(env: Record<string, string> = {}): Promise<Harness> {
  const prefix = `wh-${randomUUID()}`;
  const config = loadConfig(serviceConfig, {
    ...testKafkaEnv(),
    META_VERIFY_TOKEN: verifyToken,
    META_APP_SECRETS: `retired-secret,${testAppSecret}`,
    WEBHOOK_TOPIC: `${prefix}-webhook`,
    BUSINESS_EVENTS_TOPIC: `${prefix}-business`,
    RAW_EVENT_LOG_TOPIC: `${prefix}-raw`,
    WEBHOOK_TOPIC_PARTITIONS: '3',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const service = await createWebhookService(
    config,
    createLogger({ service: 'webhook-test', level: 'silent' }),
  );
  const topics = {
    events: config.WEBHOOK_TOPIC,
    business: config.BUSINESS_EVENTS_TOPIC,
    raw: config.RAW_EVENT_LOG_TOPIC,
  };
  const close = async () => {
    await service.close();
    const admin = kafkaClient(config.KAFKA_BROKERS).admin();
    await admin.connect();
    await deleteTestTopics(admin, (topic) => topic.startsWith(`${prefix}-`)).finally(() =>
      admin.disconnect(),
    );
  };
  return { service, config, topics, prefix, close };
}

export function postWebhook(app: FastifyInstance, body: Buffer | string, signature?: string) {
  return app.inject({
    method: 'POST',
    url: '/webhook',
    headers: {
      'content-type': 'application/json',
      ...(signature !== undefined && { 'x-hub-signature-256': signature }),
    },
    payload: body,
  });
}

export interface ReadRecord {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

function kafkaClient(brokers: readonly string[]): Kafka {
  return new Kafka({
    ...testKafkaSecurity(),
    clientId: 'webhook-test-reader',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  });
}

/**
 * How many records a topic holds (sum of the partitions' end offsets). Through fetchTopicEnds, which retries: right
 * after a topic is created the broker can still answer "not the leader" for its partitions (CI, 2026-12-04).
 */
export async function countRecords(brokers: readonly string[], topic: string): Promise<number> {
  const admin = kafkaClient(brokers).admin();
  await admin.connect();
  try {
    const offsets = await fetchTopicEnds(admin, topic);
    return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Reads a topic from the start with a fresh group until `count` records arrived, or fails at the deadline. */
export function readRecords(
  brokers: readonly string[],
  topic: string,
  count: number,
  timeoutMs = 20_000,
): Promise<ReadRecord[]> {
  return readUntil(brokers, topic, (records) => records.length >= count, timeoutMs);
}

/** Reads a topic from the start with a fresh group until `isDone(records)`, or fails at the deadline. */
export async function readUntil(
  brokers: readonly string[],
  topic: string,
  isDone: (records: readonly ReadRecord[]) => boolean,
  timeoutMs = 20_000,
): Promise<ReadRecord[]> {
  const consumer = kafkaClient(brokers).consumer({ groupId: `reader-${randomUUID()}` });
  const records: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${records.length} records from ${topic}, not what was expected`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          records.push({
            key: message.key?.toString('utf8') ?? '',
            value: message.value ?? Buffer.alloc(0),
            headers: Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
            ),
            partition,
            offset: message.offset,
          });
          if (isDone(records)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await done;
    return records;
  } finally {
    await consumer.disconnect();
  }
}

export function jsonOf(record: ReadRecord): Record<string, unknown> {
  return JSON.parse(record.value.toString('utf8')) as Record<string, unknown>;
}
