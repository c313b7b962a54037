import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture, sign } from './support/meta-fixtures.js';
import { countRecords, type Harness, postWebhook, startWebhook } from './support/webhook-harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startWebhook({ WEBHOOK_BODY_LIMIT_BYTES: String(64 * 1024) });
});
afterAll(() => harness.close());

const text = loadFixture('inbound-text.json');

describe('POST /webhook refusals publish nothing', () => {
  it('answers 401 without a signature', async () => {
    const response = await postWebhook(harness.service.app, text.body);
    expect([response.statusCode, response.json().error]).toEqual([401, 'missing_signature']);
  });

  it('answers 401 for a signature made with another secret or over other bytes', async () => {
    const forged = await postWebhook(harness.service.app, text.body, sign(text.body, 'not-our-secret'));
    expect(forged.statusCode).toBe(401);
    const tampered = Buffer.from(text.body.toString('utf8').replace('Jane', 'Mallory'));
    const replayed = await postWebhook(harness.service.app, tampered, text.signature);
    expect([replayed.statusCode, replayed.json().error]).toEqual([401, 'invalid_signature']);
  });

  it('answers 400 with a JSON error for signed malformed JSON or a non-WABA body', async () => {
    for (const body of [
      '{"object":"whatsapp_business_account","entry":[',
      '{"object":"page","entry":[]}',
      '{}',
    ]) {
      const response = await postWebhook(harness.service.app, body, sign(body));
      expect(response.statusCode, body).toBe(400);
      expect(['malformed_json', 'not_whatsapp_payload']).toContain(response.json().error);
    }
  });

  it('answers 413 for a body over the limit', async () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [],
      pad: 'x'.repeat(70 * 1024),
    });
    const response = await postWebhook(harness.service.app, body, sign(body));
    expect([response.statusCode, response.json().error]).toEqual([413, 'payload_too_large']);
  });

  it('left every topic empty and counted the refusals', async () => {
    const brokers = harness.config.KAFKA_BROKERS;
    for (const topic of Object.values(harness.topics))
      expect(await countRecords(brokers, topic), topic).toBe(0);
    const metrics = await harness.service.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('webhook_requests_total{outcome="unauthorized"} 3');
    expect(metrics.body).toContain('webhook_requests_total{outcome="bad_request"} 3');
    expect(metrics.body).toContain('webhook_requests_total{outcome="too_large"} 1');
  });
});
