import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startTestAdmin, type TestAdmin } from './support/admin.js';

let admin: TestAdmin;
beforeAll(async () => {
  admin = await startTestAdmin();
});
afterAll(() => admin.close());

describe('health, readiness and metrics', () => {
  it("answers the original's GET / without a key", async () => {
    const response = await admin.app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('{"status":"ok"}');
  });

  it('answers /healthz without a key', async () => {
    const response = await admin.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 while PostgreSQL is reachable', async () => {
    const response = await admin.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready' });
  });

  it('serves Prometheus metrics to a key holder', async () => {
    await admin.app.inject({ method: 'GET', url: '/api/v2/agents', headers: auth });
    const response = await admin.app.inject({ method: 'GET', url: '/metrics', headers: auth });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain(
      'admin_http_request_duration_seconds_count{method="GET",route="/api/v2/agents",status="200"} 1',
    );
    expect(response.body).toContain('admin_agent_change_publish_failures_total 0');
    expect(response.body).toContain('process_cpu_user_seconds_total');
  });

  it('answers /metrics 401 without a key', async () => {
    const response = await admin.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(401);
  });
});
