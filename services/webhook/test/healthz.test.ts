import { createLogger } from '@wa-broker/shared/logger';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';

describe('GET /healthz', () => {
  it('answers 200 while the process is up', async () => {
    const app = await buildApp({ logger: createLogger({ service: 'test', level: 'silent' }) });
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    await app.close();
  });
});
