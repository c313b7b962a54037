import { randomUUID } from 'node:crypto';
import { testKafkaSecurity } from '@wa-broker/infra/test-env';
import { ensureTopics } from '@wa-broker/shared/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayDeliveries } from '../src/replay/replay-deliveries.js';
import { loadFixture } from './support/meta-fixtures.js';
import { type Harness, jsonOf, postWebhook, readRecords, startWebhook } from './support/webhook-harness.js';

let harness: Harness;
let kafka: Kafka;
let before: Date;
let after: Date;

beforeAll(async () => {
  harness = await startWebhook();
  kafka = new Kafka({
    ...testKafkaSecurity(),
    brokers: [...harness.config.KAFKA_BROKERS],
    logLevel: logLevel.NOTHING,
  });
  before = new Date(Date.now() - 1000);
  const fixture = loadFixture('inbound-batch.json');
  expect((await postWebhook(harness.service.app, fixture.body, fixture.signature)).statusCode).toBe(200);
  after = new Date(Date.now() + 1000);
}, 60_000);

afterAll(async () => {
  // Also deletes the replay targets: their names start with the harness's prefix.
  await harness?.close();
});

async function replayInto(from: Date, to?: Date) {
  const target = `${harness.topics.events}-replay-${randomUUID().slice(0, 6)}`;
  const admin = kafka.admin();
  const consumer = kafka.consumer({ groupId: `replay-${randomUUID()}`, maxWaitTimeInMs: 200 });
  const producer = kafka.producer();
  await Promise.all([admin.connect(), consumer.connect(), producer.connect()]);
  try {
    await ensureTopics(admin, [{ topic: target, numPartitions: 3 }], { replicationFactor: 1 });
    const report = await replayDeliveries(
      { admin, consumer, producer },
      { rawTopic: harness.topics.raw, targetTopic: target, from, ...(to ? { to } : {}) },
    );
    return { target, report };
  } finally {
    await consumer.disconnect();
    await Promise.all([producer.disconnect(), admin.disconnect()]);
  }
}

describe('pnpm replay', () => {
  it('re-derives the same events, with the same keys, from the raw event log', async () => {
    const original = await readRecords(harness.config.KAFKA_BROKERS, harness.topics.events, 3);
    const { target, report } = await replayInto(before);
    expect(report).toEqual({ deliveries: 1, events: 3, unreadable: 0 });
    const replayed = await readRecords(harness.config.KAFKA_BROKERS, target, 3);
    const byKeyAndId = (records: typeof original) =>
      records
        .map((r) => ({ key: r.key, ...jsonOf(r) }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    // Same wamids and statuses, so the router's dedup marks (dedup:<wamid>[:<status>]) drop them on a replay.
    expect(byKeyAndId(replayed)).toEqual(byKeyAndId(original));
    expect(replayed.every((r) => r.headers.replayed === 'true')).toBe(true);
    // Routed by default; `--rebuild-state` (replay-mode: rebuild-state) is tested end to end in e2e/.
    expect(replayed.every((r) => r.headers['replay-mode'] === 'route')).toBe(true);
  });

  it('leaves out deliveries outside the window', async () => {
    expect((await replayInto(after)).report.events).toBe(0);
    expect(
      (await replayInto(new Date(before.getTime() - 60_000), new Date(before.getTime() - 30_000))).report
        .events,
    ).toBe(0);
  });
});
