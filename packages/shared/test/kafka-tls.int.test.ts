import { randomUUID } from 'node:crypto';
import { privateStack } from '@wa-broker/infra/private-stack';
import { kafkaServices } from '@wa-broker/infra/stack';
import { stackEnv } from '@wa-broker/infra/stack-settings';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { createKafka, ensureTopics, kafkaConnection } from '../src/kafka.js';
import { createLogger } from '../src/logger.js';

// Issue 24 §1: TLS is configuration — the stack's Kafka with STACK_KAFKA_TLS=true serves SASL_SSL, and a service
// configured with KAFKA_TLS / KAFKA_TLS_CA_FILE (kafkaConnection) connects; a plaintext client does not.
const stack = privateStack('kafka-tls', { kafka: 30292, mongo: 27292, tls: true });
const logger = createLogger({ service: 'test', level: 'silent' });

afterAll(async () => {
  await stack.remove();
}, 120_000);

describe('the stack Kafka over TLS', () => {
  it('serves SASL_SSL with its CA to configured clients and refuses plaintext ones', async () => {
    const [kafka] = kafkaServices(stack.settings);
    await kafka?.up(() => undefined);
    const env = stackEnv(stack.settings);
    expect(env.KAFKA_TLS).toBe('true');
    const connection = kafkaConnection({
      KAFKA_BROKERS: (env.KAFKA_BROKERS ?? '').split(','),
      KAFKA_USERNAME: env.KAFKA_USERNAME,
      KAFKA_PASSWORD: env.KAFKA_PASSWORD,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_TLS: true,
      KAFKA_TLS_CA_FILE: env.KAFKA_TLS_CA_FILE,
    });
    expect(connection.auth?.tls?.ca).toContain('BEGIN CERTIFICATE');
    const admin = createKafka({ ...connection, clientId: 'tls-test', logger }).admin();
    await admin.connect();
    const topic = `tls-${randomUUID().slice(0, 8)}`;
    await ensureTopics(admin, [{ topic, numPartitions: 1 }], { replicationFactor: 1 });
    expect(await admin.listTopics()).toContain(topic);
    await admin.disconnect();

    // The same credential without TLS: the broker speaks TLS only, the connection never authenticates.
    const plain = new Kafka({
      brokers: connection.brokers as string[],
      sasl: {
        mechanism: 'scram-sha-512',
        username: env.KAFKA_USERNAME ?? '',
        password: env.KAFKA_PASSWORD ?? '',
      },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 2000,
      requestTimeout: 3000,
    }).admin();
    await expect(plain.connect()).rejects.toThrow();
  }, 120_000);
});
