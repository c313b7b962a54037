import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { testKafkaSecurity } from '@wa-broker/infra/test-env';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { privateStack } from '../src/private-stack.js';
import { stackS3Client } from '../src/services/s3-service.js';
import { stackDown, stackStatus, stackUp } from '../src/stack.js';
import { stackS3 } from '../src/stack-settings.js';

// A second, private stack on other ports, so stopping it never disturbs the stack the other tests use.
const stack = privateStack('stack', { kafka: 29092, mongo: 27019, s3: 29000 });
const { settings } = stack;

afterAll(() => stack.remove());

describe('pnpm stack up / down', () => {
  it('starts from cold, is instant when warm, stops only what it started, and keeps data across down + up', async () => {
    const cold = await stackUp({ settings });
    expect(Object.fromEntries(cold.reports.map((r) => [r.service, r.outcome]))).toEqual({
      postgres: 'external',
      redis: 'external',
      mongo: 'started',
      kafka: 'started',
      s3: 'started',
    });

    const topic = `persisted-${randomUUID()}`;
    const kafka = new Kafka({
      ...testKafkaSecurity(),
      brokers: [cold.env.KAFKA_BROKERS ?? ''],
      clientId: 'restart-test',
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    const mongo = new MongoClient(cold.env.MONGO_URL ?? '');
    await mongo
      .db('restart')
      .collection('docs')
      .insertOne({ _id: topic as never, kept: true });
    await mongo.close();
    // `up` created the development bucket on its S3 server.
    const s3 = stackS3(settings);
    expect(s3.endpoint).toBe('http://127.0.0.1:29000');
    const client = stackS3Client(s3);
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `kept/${topic}`, Body: 'kept' }));
    client.destroy();

    const warm = await stackUp({ settings });
    expect(
      warm.reports
        .filter((r) => r.service === 'kafka' || r.service === 'mongo' || r.service === 's3')
        .map((r) => r.outcome),
    ).toEqual(['already running', 'already running', 'already running']);
    expect(Math.max(...warm.reports.map((r) => r.seconds))).toBeLessThan(5);

    expect((await stackDown({ settings })).sort()).toEqual(['kafka', 'mongo', 's3']);
    const afterDown = Object.fromEntries((await stackStatus({ settings })).map((s) => [s.name, s.answering]));
    expect(afterDown).toEqual({ postgres: true, redis: true, mongo: false, kafka: false, s3: false });

    await stackUp({ settings });
    const admin2 = new Kafka({
      ...testKafkaSecurity(),
      brokers: [cold.env.KAFKA_BROKERS ?? ''],
      clientId: 'restart-test',
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin2.connect();
    expect(await admin2.listTopics()).toContain(topic);
    await admin2.disconnect();
    const mongo2 = new MongoClient(cold.env.MONGO_URL ?? '');
    expect(
      await mongo2
        .db('restart')
        .collection('docs')
        .findOne({ _id: topic as never }),
    ).toMatchObject({ kept: true });
    await mongo2.close();
    const client2 = stackS3Client(s3);
    const kept = await client2.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `kept/${topic}` }));
    expect(await kept.Body?.transformToString()).toBe('kept');
    client2.destroy();
  }, 180_000);
});
