import { randomUUID } from 'node:crypto';
import { testKafkaEnv, testStackEnv } from '@wa-broker/infra/test-env';
import { readTopics } from '@wa-broker/infra/topic-reader';
import { loadConfig } from '@wa-broker/shared/config';
import { createLogger } from '@wa-broker/shared/logger';
import { BusinessEvent, WebhookEvent } from '@wa-broker/shared/webhook-events';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceConfig } from '../../../services/webhook/src/config.js';
import { createWebhookService, type WebhookService } from '../../../services/webhook/src/create-service.js';
import { recordFigures } from '../../src/figures.js';
import { webhookFixtures } from '../../src/fixtures.js';
import { type FuzzCase, fuzzCases } from '../../src/fuzz-bodies.js';
import { deleteRunTopics } from '../../src/run-topics.js';

// The webhook's real app and a real Kafka producer (shared stack, fresh topics), driven through app.inject.
const total = Number(process.env.FUZZ_CASES ?? 100_000);
const concurrency = 256;
const hangMs = 10_000;
const appSecret = 'fuzz_app_secret_0123456789';
const bodyLimit = 64 * 1024;
const prefix = `fuzz-${randomUUID().slice(0, 8)}`;
const topics = { events: `${prefix}-webhook`, business: `${prefix}-business`, raw: `${prefix}-raw` };
let service: WebhookService;

beforeAll(async () => {
  const config = loadConfig(serviceConfig, {
    ...testKafkaEnv(),
    META_VERIFY_TOKEN: 'fuzz-verify',
    META_APP_SECRETS: appSecret,
    WEBHOOK_TOPIC: topics.events,
    BUSINESS_EVENTS_TOPIC: topics.business,
    RAW_EVENT_LOG_TOPIC: topics.raw,
    WEBHOOK_TOPIC_PARTITIONS: '3',
    WEBHOOK_BODY_LIMIT_BYTES: String(bodyLimit),
    KAFKA_ACK_TIMEOUT_MS: '8000',
  });
  service = await createWebhookService(config, createLogger({ service: 'fuzz', level: 'silent' }));
}, 120_000);

afterAll(async () => {
  await service?.close();
  await deleteRunTopics(testStackEnv().KAFKA_BROKERS.split(','), [`${prefix}-`]);
});

interface Outcome {
  status: number;
  ms: number;
}

async function post(fuzz: FuzzCase): Promise<Outcome> {
  const started = performance.now();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (fuzz.signature !== undefined) headers['x-hub-signature-256'] = fuzz.signature;
  const answer = service.app.inject({ method: 'POST', url: '/webhook', headers, payload: fuzz.body });
  const hang = new Promise<{ statusCode: number }>((resolve) =>
    setTimeout(() => resolve({ statusCode: -1 }), hangMs),
  );
  const response = await Promise.race([answer, hang]);
  return { status: response.statusCode, ms: performance.now() - started };
}

/** The size check comes first (Fastify stops reading), then the signature, then the JSON. */
function allowedStatuses(fuzz: FuzzCase): number[] {
  if (fuzz.body.length > bodyLimit) return [413];
  return fuzz.expect === 'unauthorized' ? [401] : [200, 400];
}

describe('fuzzing the webhook with generated and mutated Meta bodies', () => {
  it(`${total} bodies: no crash, no hang, only 2xx/4xx, 401 for every bad signature, nothing invalid published`, async () => {
    const fixtures = webhookFixtures().map((fixture) => fixture.body);
    const arbitrary = fuzzCases(fixtures, appSecret, bodyLimit);
    const statuses = new Map<string, number>();
    const kinds = new Map<string, number>();
    const wrong: string[] = [];
    let accepted = 0;
    let slowestMs = 0;
    let bytes = 0;
    const started = Date.now();
    const judge = (fuzz: FuzzCase, outcome: Outcome) => {
      bytes += fuzz.body.length;
      slowestMs = Math.max(slowestMs, outcome.ms);
      statuses.set(String(outcome.status), (statuses.get(String(outcome.status)) ?? 0) + 1);
      kinds.set(fuzz.kind, (kinds.get(fuzz.kind) ?? 0) + 1);
      if (outcome.status === 200) accepted += 1;
      if (!allowedStatuses(fuzz).includes(outcome.status) && wrong.length < 20)
        wrong.push(`${fuzz.kind} → ${outcome.status}: ${fuzz.body.subarray(0, 200).toString()}`);
    };
    for (let done = 0; done < total; ) {
      const chunk = fc.sample(arbitrary, { numRuns: Math.min(5000, total - done), seed: done + 9 });
      let next = 0;
      // A pool, not slices: a slow Kafka ack holds one worker, not the whole slice.
      const worker = async () => {
        while (next < chunk.length) {
          const fuzz = chunk[next++] as FuzzCase;
          judge(fuzz, await post(fuzz));
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      done += chunk.length;
    }
    const fuzzSeconds = (Date.now() - started) / 1000;

    const records = await readTopics(testStackEnv().KAFKA_BROKERS.split(','), Object.values(topics));
    const invalid: string[] = [];
    const counts = { events: 0, business: 0, raw: 0 };
    for (const record of records) {
      if (record.topic === topics.raw) {
        counts.raw += 1;
        continue;
      }
      const schema = record.topic === topics.events ? WebhookEvent : BusinessEvent;
      counts[record.topic === topics.events ? 'events' : 'business'] += 1;
      const parsed = schema.safeParse(JSON.parse(record.value?.toString() ?? 'null'));
      if (!parsed.success && invalid.length < 10)
        invalid.push(
          `${record.topic}: ${parsed.error.message.slice(0, 400)} in ${record.value?.toString().slice(0, 400)}`,
        );
    }
    recordFigures('fuzz-webhook', {
      inputsTried: total,
      byKind: Object.fromEntries(kinds),
      byStatus: Object.fromEntries(statuses),
      accepted,
      megabytesPosted: Math.round(bytes / 1e5) / 10,
      fuzzSeconds,
      slowestMs: Math.round(slowestMs),
      crashes: wrong.filter((line) => / → 5\d\d/.test(line)).length,
      hangs: statuses.get('-1') ?? 0,
      published: counts,
      invalidPublished: invalid.length,
    });
    expect(wrong).toEqual([]);
    expect(statuses.get('-1') ?? 0).toBe(0);
    expect([...statuses.keys()].every((status) => /^[24]\d\d$/.test(status))).toBe(true);
    expect(invalid).toEqual([]);
    // Every 200 means "safely in Kafka": one raw record per accepted POST, none for a 4xx.
    expect(counts.raw).toBe(accepted);
    expect(accepted).toBeGreaterThan(total / 4);
  }, 900_000);
});
