import { eventually } from '@wa-broker/infra/poll';
import { privateStack } from '@wa-broker/infra/private-stack';
import { stackDown, stackUp } from '@wa-broker/infra/stack';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFixture } from './support/meta-fixtures.js';
import {
  type Harness,
  jsonOf,
  postWebhook,
  type ReadRecord,
  readUntil,
  startWebhook,
} from './support/webhook-harness.js';

// A private stack on its own ports and folder: stopping its Kafka never disturbs the shared one.
const stack = privateStack('webhook-outage', { kafka: 30092, mongo: 27039 });
const { settings } = stack;

let harness: Harness | undefined;
afterAll(async () => {
  await harness?.service.close();
  await stack.remove();
}, 120_000);

describe('Kafka outage', () => {
  it('answers 503 (time-boxed) while Kafka is down, then publishes the same POST once it is back', async () => {
    const { env } = await stackUp({ settings });
    harness = await startWebhook({ KAFKA_BROKERS: env.KAFKA_BROKERS ?? '', KAFKA_ACK_TIMEOUT_MS: '1500' });
    const { app } = harness.service;
    const text = loadFixture('inbound-text.json');
    expect((await postWebhook(app, text.body, text.signature)).statusCode).toBe(200);

    await stackDown({ settings });
    const batch = loadFixture('inbound-batch.json');
    const started = Date.now();
    const refused = await postWebhook(app, batch.body, batch.signature);
    expect([refused.statusCode, refused.json().error]).toEqual([503, 'kafka_unavailable']);
    expect(Date.now() - started).toBeLessThan(5000);
    await eventually(async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 503, {
      what: '/readyz to answer 503',
      timeoutMs: 5000,
    });

    await stackUp({ settings });
    // Meta's behaviour: redeliver the same bytes until it gets a 200.
    const accepted = await eventually(
      async () => {
        const response = await postWebhook(app, batch.body, batch.signature);
        return response.statusCode === 200 ? (response.json() as { trace_id: string }) : undefined;
      },
      { what: 'the redelivered POST to be accepted', timeoutMs: 90_000, intervalMs: 250 },
    );
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);

    // The send that was in flight when Kafka went down may land too: a duplicate, as Meta's retries make anyway.
    const ofAccepted = (records: readonly ReadRecord[]) =>
      records.filter((record) => jsonOf(record).trace_id === accepted.trace_id);
    const records = await readUntil(
      harness.config.KAFKA_BROKERS,
      harness.topics.events,
      (read) => ofAccepted(read).length >= 3,
      30_000,
    );
    const published = ofAccepted(records);
    expect(published.map((record) => [record.key, jsonOf(record).kind]).sort()).toEqual([
      ['15550001111', 'message'],
      ['15550001111', 'status'],
      ['15550002222', 'message'],
    ]);
  }, 240_000);
});
