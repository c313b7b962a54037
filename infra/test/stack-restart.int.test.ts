import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { privateStack } from '../src/private-stack.js';
import { stackDown, stackStatus, stackUp } from '../src/stack.js';

// A second, private stack on other ports, so stopping it never disturbs the stack the other tests use.
const stack = privateStack('stack', { kafka: 29092, mongo: 27019 });
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
    });

    const topic = `persisted-${randomUUID()}`;
    const kafka = new Kafka({
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

    const warm = await stackUp({ settings });
    expect(
      warm.reports.filter((r) => r.service === 'kafka' || r.service === 'mongo').map((r) => r.outcome),
    ).toEqual(['already running', 'already running']);
    expect(Math.max(...warm.reports.map((r) => r.seconds))).toBeLessThan(5);

    expect((await stackDown({ settings })).sort()).toEqual(['kafka', 'mongo']);
    const afterDown = Object.fromEntries((await stackStatus({ settings })).map((s) => [s.name, s.answering]));
    expect(afterDown).toEqual({ postgres: true, redis: true, mongo: false, kafka: false });

    await stackUp({ settings });
    const admin2 = new Kafka({
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
  }, 180_000);
});
