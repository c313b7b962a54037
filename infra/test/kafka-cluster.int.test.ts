import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@wa-broker/infra/poll';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { kafkaServices, stackDown, stackUp } from '../src/stack.js';
import { stackSettings } from '../src/stack-settings.js';

// A private 3-node cluster on its own ports, so killing a node never disturbs the shared stack.
const dir = mkdtempSync(join(tmpdir(), 'wa-cluster-'));
const settings = stackSettings({
  STACK_DIR: dir,
  STACK_KAFKA_BROKERS: '3',
  STACK_KAFKA_PORT: '29192',
  STACK_MONGO_PORT: '27029',
  STACK_KAFKA_HEAP: '384m',
});

// A node that is briefly fenced answers with errors: each attempt may throw until the cluster settles.
const retrying = (timeoutMs = 10_000) => ({ timeoutMs, intervalMs: 200, retryErrors: true });

afterAll(async () => {
  await stackDown({ settings });
  rmSync(dir, { recursive: true, force: true });
});

describe('pnpm stack up --brokers 3', () => {
  it('runs a 3-node KRaft cluster (RF 3, min ISR 2) that keeps accepting acks=all writes with one node killed', async () => {
    const { env } = await stackUp({ settings });
    expect(env.KAFKA_BROKERS).toBe('127.0.0.1:29192,127.0.0.1:29194,127.0.0.1:29196');
    expect(env.KAFKA_REPLICATION_FACTOR).toBe('3');
    const kafka = new Kafka({
      brokers: (env.KAFKA_BROKERS ?? '').split(','),
      clientId: 'cluster-test',
      logLevel: logLevel.NOTHING,
      retry: { retries: 20, initialRetryTime: 100 },
    });
    const admin = kafka.admin();
    await admin.connect();
    // Under load a node can miss a heartbeat and be briefly fenced; the cluster must come back to three.
    const members = await eventually(async () => {
      const { brokers } = await admin.describeCluster();
      if (brokers.length !== 3) throw new Error(`${brokers.length} brokers`);
      return brokers;
    }, retrying(30_000));
    expect(members).toHaveLength(3);
    const topic = `cluster-${randomUUID()}`;
    // Not kafkajs's waitForLeaders: it fails while metadata spreads over the nodes.
    await admin.createTopics({
      topics: [{ topic, numPartitions: 3, replicationFactor: 3 }],
      waitForLeaders: false,
    });
    await eventually(async () => {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const ready = topics[0]?.partitions.every(
        (partition) => partition.leader >= 0 && partition.isr.length === 3,
      );
      if (!ready) throw new Error(`${topic} has no leaders or full ISR yet`);
      return true;
    }, retrying());
    // Topic metadata reaches the other nodes a moment after the controller created the topic.
    const config = await eventually(
      () =>
        admin.describeConfigs({
          includeSynonyms: false,
          resources: [{ type: 2, name: topic, configNames: ['min.insync.replicas'] }],
        }),
      retrying(),
    );
    expect(config.resources[0]?.configEntries[0]?.configValue).toBe('2');

    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await eventually(
      () => producer.send({ topic, acks: -1, messages: [{ key: 'u1', value: 'before' }] }),
      retrying(),
    );
    const [, second] = kafkaServices(settings);
    expect(second?.kill()).toBe(true);
    for (let index = 0; index < 20; index += 1)
      await producer.send({ topic, acks: -1, messages: [{ key: `u${index}`, value: `during-${index}` }] });
    await second?.up(() => undefined);
    await producer.send({ topic, acks: -1, messages: [{ key: 'u1', value: 'after' }] });
    await producer.disconnect();

    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.reduce((sum, partition) => sum + Number(partition.high), 0)).toBe(22);
    await admin.disconnect();
  }, 150_000);
});
