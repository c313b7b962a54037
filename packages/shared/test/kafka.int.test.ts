import { randomUUID } from 'node:crypto';
import { testKafkaAuth, testStackEnv } from '@wa-broker/infra/test-env';
import { deleteTestTopics } from '@wa-broker/infra/test-topics';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKafka,
  createReadCommittedConsumer,
  decodeJson,
  encodeJson,
  ensureTopics,
} from '../src/kafka.js';
import { createLogger } from '../src/logger.js';

const kafka = createKafka({
  auth: testKafkaAuth(),
  brokers: testStackEnv().KAFKA_BROKERS.split(','),
  clientId: 'shared-test',
  logger: createLogger({ service: 'test', level: 'silent' }),
});
let admin: Admin;
const created: string[] = [];

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await deleteTestTopics(admin, created);
  await admin.disconnect();
});

describe('ensureTopics against the real broker', () => {
  it('creates missing topics with leaders, and is idempotent under concurrent calls', async () => {
    const topic = `t-ensure-${randomUUID()}`;
    created.push(topic, `${topic}-compacted`);
    const specs = [
      { topic, numPartitions: 4 },
      { topic: `${topic}-compacted`, configs: { 'cleanup.policy': 'compact' } },
    ];
    await Promise.all([
      ensureTopics(admin, specs, { replicationFactor: 1 }),
      ensureTopics(admin, specs, { replicationFactor: 1 }),
    ]);
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(topics[0]?.partitions).toHaveLength(4);
    expect(topics[0]?.partitions.every((partition) => partition.leader >= 0)).toBe(true);
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: `${topic}-compacted`, configNames: ['cleanup.policy'] }],
    });
    expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('compact');
  });
});

describe('producing and consuming through a consumer group', () => {
  it('delivers keyed JSON messages in order per key to a group member', async () => {
    const topic = `t-group-${randomUUID()}`;
    created.push(topic);
    await ensureTopics(admin, [{ topic, numPartitions: 3 }], { replicationFactor: 1 });
    const producer = kafka.producer({ idempotent: true });
    const consumer = createReadCommittedConsumer(kafka, {
      groupId: `g-${randomUUID()}`,
      sessionTimeout: 6000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 100,
    });
    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: { key: string; n: number }[] = [];
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push({
          key: message.key?.toString() ?? '',
          n: (decodeJson(message.value) as { n: number }).n,
        });
      },
    });
    await joined;
    const messages = ['alice', 'bob'].flatMap((key) =>
      Array.from({ length: 20 }, (_, n) => ({ key, value: encodeJson({ n }) })),
    );
    await producer.send({ topic, acks: -1, messages });
    const deadline = Date.now() + 15_000;
    while (received.length < 40 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all([consumer.disconnect(), producer.disconnect()]);
    expect(received).toHaveLength(40);
    for (const key of ['alice', 'bob']) {
      expect(received.filter((message) => message.key === key).map((message) => message.n)).toEqual([
        ...Array(20).keys(),
      ]);
    }
  });
});

describe('decodeJson', () => {
  it('returns undefined for empty or invalid values instead of throwing', () => {
    expect(decodeJson(null)).toBeUndefined();
    expect(decodeJson(Buffer.from('{nope'))).toBeUndefined();
    expect(decodeJson(encodeJson({ a: 'ü' }))).toEqual({ a: 'ü' });
  });
});
