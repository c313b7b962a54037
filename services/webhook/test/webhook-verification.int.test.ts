import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startWebhook, verifyToken } from './support/webhook-harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startWebhook();
});
afterAll(() => harness.close());

const url = (params: Record<string, string>) => `/webhook?${new URLSearchParams(params).toString()}`;

describe('GET /webhook (Meta verification)', () => {
  it('answers 200 with the challenge as plain text for subscribe and the right token', async () => {
    const response = await harness.service.app.inject({
      method: 'GET',
      url: url({ 'hub.mode': 'subscribe', 'hub.verify_token': verifyToken, 'hub.challenge': '1158201444' }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toBe('1158201444');
  });

  it.each([
    [
      'the verify token is wrong',
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': 'c-7' },
    ],
    [
      'the mode is not subscribe',
      { 'hub.mode': 'other', 'hub.verify_token': verifyToken, 'hub.challenge': 'c-7' },
    ],
    ['the token is missing', { 'hub.mode': 'subscribe', 'hub.challenge': 'c-7' }],
  ])('answers 403 without echoing anything when %s', async (_label, params) => {
    const response = await harness.service.app.inject({ method: 'GET', url: url(params) });
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('c-7');
    expect(response.body).not.toContain('guess');
    expect(response.body).not.toContain(verifyToken);
  });
});

describe('health, readiness and metrics', () => {
  it('answers /healthz while the process is up', async () => {
    const response = await harness.service.app.inject({ method: 'GET', url: '/healthz' });
    expect([response.statusCode, response.json()]).toEqual([200, { status: 'ok' }]);
  });

  it('answers /readyz 200 once the Kafka producer is connected', async () => {
    const response = await harness.service.app.inject({ method: 'GET', url: '/readyz' });
    expect([response.statusCode, response.json()]).toEqual([200, { status: 'ready' }]);
  });

  it('exposes request outcomes and the produce metrics in Prometheus format', async () => {
    const response = await harness.service.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('webhook_requests_total{outcome="verified"} 1');
    expect(response.body).toContain('webhook_requests_total{outcome="forbidden"} 3');
    for (const name of [
      'webhook_events_published_total',
      'webhook_kafka_produce_seconds',
      'webhook_kafka_batch_requests',
    ])
      expect(response.body).toContain(`# TYPE ${name}`);
  });
});
