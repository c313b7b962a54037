import { randomUUID } from 'node:crypto';
import { testKafkaEnv, testKafkaSecurity, testStackEnv } from '@wa-broker/infra/test-env';
import { deleteTestTopics } from '@wa-broker/infra/test-topics';
import { loadConfig } from '@wa-broker/shared/config';
import { createReadCommittedConsumer, decodeJson } from '@wa-broker/shared/kafka';
import { createLogger } from '@wa-broker/shared/logger';
import { type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import pg from 'pg';
import { type NotifyConfig, serviceConfig } from '../../src/config.js';
import { type Notify, startNotify } from '../../src/runtime.js';

export const apiKey = 'test-notify-key-0123456789';
export const auth = { authorization: `Bearer ${apiKey}` };
export const uniqueId = () => randomUUID().replace(/-/g, '').slice(0, 12);

export function testConfig(overrides: Record<string, string> = {}): NotifyConfig {
  const env = testStackEnv();
  const id = uniqueId();
  return loadConfig(serviceConfig, {
    DATABASE_URL: env.TEST_DATABASE_URL,
    DATABASE_SCHEMA: `notify_test_${id}`,
    ...testKafkaEnv(),
    KAFKA_CLIENT_ID: `notify-test-${id}`,
    KAFKA_PARTITIONS: '1',
    NOTIFY_API_KEYS: apiKey,
    NOTIFICATIONS_SEND_TOPIC: `notify-test-${id}-send`,
    NOTIFICATION_EVENTS_TOPIC: `notify-test-${id}-events`,
    EVENTS_GROUP_ID: `notify-test-${id}-events`,
    REDIS_URL: env.REDIS_URL,
    REDIS_KEY_PREFIX: `notify-test-${id}:`,
    DISPATCH_INTERVAL_MS: '200',
    WEBHOOK_TOPIC: `notify-test-${id}-webhook`,
    AGENT_CHANGES_TOPIC: `notify-test-${id}-agent-changes`,
    ROUTER_OUT_TOPIC: `notify-test-${id}-router-out`,
    CONVERSATIONS_GROUP_ID: `notify-test-${id}-conversations`,
    TEMPLATE_CHANGES_TOPIC: `notify-test-${id}-template-changes`,
    LOG_LEVEL: 'silent',
    ...overrides,
  });
}

/** Collects every record of some topics from the beginning, for the whole file (one group join). */
export class TopicTap {
  readonly records: { topic: string; key: string | undefined; value: Record<string, unknown> }[] = [];
  private readonly kafka = new Kafka({
    ...testKafkaSecurity(),
    brokers: [testStackEnv().KAFKA_BROKERS],
    logLevel: logLevel.NOTHING,
  });
  private consumer: Consumer = createReadCommittedConsumer(this.kafka, {
    groupId: `notify-tap-${uniqueId()}`,
    maxWaitTimeInMs: 200,
  });
  readonly producer: Producer = this.kafka.producer();

  async start(topics: string[]): Promise<void> {
    await Promise.all([this.consumer.connect(), this.producer.connect()]);
    await this.consumer.subscribe({ topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, message }) => {
        const value = decodeJson(message.value) as Record<string, unknown>;
        this.records.push({ topic, key: message.key?.toString('utf8'), value });
      },
    });
  }

  of(topic: string, match: (value: Record<string, unknown>) => boolean = () => true) {
    return this.records.filter((r) => r.topic === topic && match(r.value)).map((r) => r.value);
  }

  async stop(): Promise<void> {
    await Promise.all([this.consumer.disconnect(), this.producer.disconnect()]);
  }
}

/** The topics a notify started with this config creates (agents' topics excepted: the test names those). */
export const topicsOf = (config: NotifyConfig): string[] => [
  config.NOTIFICATIONS_SEND_TOPIC,
  config.NOTIFICATION_EVENTS_TOPIC,
  config.WEBHOOK_TOPIC,
  config.AGENT_CHANGES_TOPIC,
  config.ROUTER_OUT_TOPIC,
  config.TEMPLATE_CHANGES_TOPIC,
];

/** Deletes topics on the local stack's Kafka (call once their consumers and producers stopped). */
export async function deleteTopics(topics: string[]): Promise<void> {
  const admin = new Kafka({
    ...testKafkaSecurity(),
    brokers: [testStackEnv().KAFKA_BROKERS],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  await deleteTestTopics(admin, topics).finally(() => admin.disconnect());
}

/** The real notify on a fresh schema and topics; `close` drops the schema and deletes its topics. */
export async function startTestNotify(config: NotifyConfig = testConfig()) {
  const notify: Notify = await startNotify(
    config,
    createLogger({ service: 'notify-test', level: config.LOG_LEVEL }),
  );
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 1 });
  return {
    ...notify,
    config,
    close: async () => {
      await notify.app.close();
      await deleteTopics(topicsOf(config));
      await pool.query(`DROP SCHEMA IF EXISTS ${config.DATABASE_SCHEMA} CASCADE`);
      await pool.end();
    },
  };
}
