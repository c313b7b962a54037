import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, otherApiKey, startTestAdmin, type TestAdmin, testConfig } from './support/admin.js';

let admin: TestAdmin;
beforeAll(async () => {
  admin = await startTestAdmin();
});
afterAll(() => admin.close());

const protectedRoutes = [
  ['GET', '/api/v1/agent'],
  ['GET', '/api/v1/agent/1'],
  ['GET', '/api/v1/agent/by-name/Agent'],
  ['POST', '/api/v1/agent/create'],
  ['POST', '/api/v1/agent/update'],
  ['DELETE', '/api/v1/agent/delete/1'],
  ['GET', '/api/v2/agents'],
  ['POST', '/api/v2/agents'],
  ['GET', '/api/v2/agents/1'],
  ['PATCH', '/api/v2/agents/1'],
  ['DELETE', '/api/v2/agents/1'],
  ['GET', '/api/v2/numbers'],
  ['POST', '/api/v2/numbers'],
  ['GET', '/api/v2/numbers/106540352242922'],
  ['PATCH', '/api/v2/numbers/106540352242922'],
  ['DELETE', '/api/v2/numbers/106540352242922'],
  ['GET', '/metrics'],
] as const;

describe('bearer auth', () => {
  it.each(protectedRoutes)(
    'answers 401 to %s %s without a key, before touching anything',
    async (method, url) => {
      const response = await admin.app.inject({ method, url, payload: method === 'GET' ? undefined : {} });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toHaveProperty('message', 'missing or invalid bearer token');
    },
  );

  it('answers 401 to a wrong key, a non-bearer scheme and a key prefix', async () => {
    for (const authorization of [
      'Bearer wrong-key-wrong-key-123',
      `Basic ${apiKey}`,
      `Bearer ${apiKey.slice(0, -1)}`,
      apiKey,
    ]) {
      const response = await admin.app.inject({
        method: 'GET',
        url: '/api/v2/agents',
        headers: { authorization },
      });
      expect(response.statusCode).toBe(401);
    }
  });

  it('answers 401, not 400, to an unauthenticated malformed body (bodies are parsed only after auth)', async () => {
    const response = await admin.app.inject({
      method: 'POST',
      url: '/api/v2/agents',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(response.statusCode).toBe(401);
  });

  it('uses the v1 error shape on v1 routes', async () => {
    const response = await admin.app.inject({ method: 'GET', url: '/api/v1/agent' });
    expect(response.json()).toEqual({
      internal_code: 'unauthorized',
      message: 'missing or invalid bearer token',
    });
  });

  it('accepts every configured key', async () => {
    for (const key of [apiKey, otherApiKey]) {
      const response = await admin.app.inject({
        method: 'GET',
        url: '/api/v2/agents',
        headers: { authorization: `Bearer ${key}` },
      });
      expect(response.statusCode).toBe(200);
    }
  });
});

describe('rate limiting', () => {
  let limited: TestAdmin;
  beforeAll(async () => {
    limited = await startTestAdmin(testConfig({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' }));
  });
  afterAll(() => limited.close());

  it('answers 429 after RATE_LIMIT_MAX requests in the window, keyed or not, but never on health', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await limited.app.inject({ method: 'GET', url: '/api/v2/agents' })).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limitedResponse = await limited.app.inject({
      method: 'GET',
      url: '/api/v2/agents',
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(limitedResponse.statusCode).toBe(429);
    expect(limitedResponse.json().error).toBe('rate_limited');
    expect(limitedResponse.headers['retry-after']).toBeDefined();
    expect((await limited.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
