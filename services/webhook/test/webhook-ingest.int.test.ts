import { WebhookEvent } from '@wa-broker/shared/webhook-events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureNames, loadFixture, sign } from './support/meta-fixtures.js';
import {
  type Harness,
  jsonOf,
  postWebhook,
  type ReadRecord,
  readRecords,
  startWebhook,
} from './support/webhook-harness.js';

/** What each fixture must become on the `webhook` topic: [key, kind] per event, in order. */
const expected: Record<string, [string, string][]> = {
  'inbound-batch.json': [
    ['15550001111', 'message'],
    ['15550002222', 'message'],
    ['15550001111', 'status'],
  ],
  'system-errors.json': [['106540352242922', 'error']],
};
const expectedFor = (name: string): [string, string][] =>
  expected[name] ?? [['15550001111', name.startsWith('status-') ? 'status' : 'message']];

let harness: Harness;
let traceByFixture: Map<string, string>;
let events: ReadRecord[];
let raw: ReadRecord[];

beforeAll(async () => {
  harness = await startWebhook();
  traceByFixture = new Map();
  for (const name of fixtureNames) {
    const fixture = loadFixture(name);
    const response = await postWebhook(harness.service.app, fixture.body, fixture.signature);
    expect(response.statusCode, name).toBe(200);
    traceByFixture.set(name, (response.json() as { trace_id: string }).trace_id);
  }
  const total = fixtureNames.reduce((sum, name) => sum + expectedFor(name).length, 0);
  const brokers = harness.config.KAFKA_BROKERS;
  [events, raw] = await Promise.all([
    readRecords(brokers, harness.topics.events, total),
    readRecords(brokers, harness.topics.raw, fixtureNames.length),
  ]);
});
afterAll(() => harness.close());

describe('POST /webhook with a valid signature', () => {
  it.each(fixtureNames)('publishes %s with the right keys and kinds, answering 200 after the ack', (name) => {
    const traceId = traceByFixture.get(name);
    const mine = events.filter((record) => jsonOf(record).trace_id === traceId);
    const byOffset = mine.sort((a, b) => Number(a.offset) - Number(b.offset));
    const pairs = byOffset.map((record) => [record.key, jsonOf(record).kind]);
    expect(pairs.sort()).toEqual([...expectedFor(name)].sort());
    for (const record of mine) {
      expect(WebhookEvent.safeParse(jsonOf(record)).error).toBeUndefined();
      expect(record.headers['trace-id']).toBe(traceId);
    }
  });

  it('yields one event per item of the batch fixture, across entries and changes', () => {
    const traceId = traceByFixture.get('inbound-batch.json');
    const batch = events.filter((record) => jsonOf(record).trace_id === traceId);
    const wamids = batch.map((record) => (jsonOf(record).item as { id: string }).id);
    expect(new Set(wamids).size).toBe(3);
  });

  it('logs every untouched body with its signature and receiving time, keyed by phone_number_id', () => {
    for (const name of fixtureNames) {
      const fixture = loadFixture(name);
      const record = raw.find((candidate) => candidate.headers['trace-id'] === traceByFixture.get(name));
      expect(record?.value.equals(fixture.body), name).toBe(true);
      expect(record?.key).toBe('106540352242922');
      expect(record?.headers['x-hub-signature-256']).toBe(fixture.signature);
      expect(Number.isNaN(Date.parse(record?.headers['received-at'] ?? ''))).toBe(false);
    }
  });

  it('publishes other fields to the business-events topic and answers 200', async () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          time: 1761300000,
          changes: [
            { field: 'message_template_status_update', value: { event: 'APPROVED', message_template_id: 9 } },
          ],
        },
      ],
    });
    const response = await postWebhook(harness.service.app, body, sign(body));
    expect(response.statusCode).toBe(200);
    const [record] = await readRecords(harness.config.KAFKA_BROKERS, harness.topics.business, 1);
    expect(record?.key).toBe('102290129340398');
    expect(jsonOf(record as ReadRecord)).toMatchObject({
      v: 1,
      kind: 'business',
      field: 'message_template_status_update',
      entry_time: '2025-10-24T10:00:00.000Z',
      value: { event: 'APPROVED', message_template_id: 9 },
    });
  });
});
