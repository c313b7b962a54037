import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../src/docs/openapi.js';
import { toPostmanCollection } from '../src/docs/postman.js';
import { startTestAdmin, type TestAdmin } from './support/admin.js';

const collectionFile = fileURLToPath(
  new URL('../postman/wa-broker-admin.postman_collection.json', import.meta.url),
);

let admin: TestAdmin;
beforeAll(async () => {
  admin = await startTestAdmin();
});
afterAll(() => admin.close());

interface Item {
  name: string;
  item?: Item[];
  request?: { body?: { raw: string }; auth?: { type: string } };
}
const flatten = (items: Item[]): Item[] => items.flatMap((item) => (item.item ? flatten(item.item) : [item]));

describe('OpenAPI, Swagger UI and the Postman collection', () => {
  it('serves Swagger UI at /docs without a key', async () => {
    const response = await admin.app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
  });

  it('serves an OpenAPI document of every endpoint with bearer security at /docs/json', async () => {
    const response = await admin.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(Object.keys(document.paths).sort()).toEqual([
      '/',
      '/api/v1/agent',
      '/api/v1/agent/by-name/{name}',
      '/api/v1/agent/create',
      '/api/v1/agent/delete/{id}',
      '/api/v1/agent/update',
      '/api/v1/agent/{id}',
      '/api/v2/agents',
      '/api/v2/agents/{id}',
      '/api/v2/agents/{id}/kafka-credentials',
      '/api/v2/costs',
      '/api/v2/numbers',
      '/api/v2/numbers/{phone_number_id}',
      '/api/v2/templates',
      '/api/v2/templates/{waba_id}/{name}',
      '/healthz',
      '/readyz',
    ]);
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.paths['/healthz'].get.security).toEqual([]);
    expect(document).toEqual(JSON.parse(JSON.stringify(await buildOpenApiDocument())));
  });

  it('has a committed Postman collection equal to the one generated now (run `pnpm postman` if not)', async () => {
    const committed = JSON.parse(readFileSync(collectionFile, 'utf8'));
    expect(committed).toEqual(toPostmanCollection(await buildOpenApiDocument()));
  });

  it("carries the original collection's request bodies and bearer auth, none on health", () => {
    const committed = JSON.parse(readFileSync(collectionFile, 'utf8'));
    const requests = new Map(flatten(committed.item).map((item) => [item.name, item.request]));
    expect(JSON.parse(requests.get('POST /api/v1/agent/create')?.body?.raw ?? '')).toEqual({
      name: 'Agent B',
      read_topic: 'agent_C-in',
      write_topic: 'agent_C-out',
      error_topic: 'agent_C-error',
    });
    expect(JSON.parse(requests.get('POST /api/v1/agent/update')?.body?.raw ?? '')).toEqual({
      id: 79,
      name: 'renato-atualizado',
      read_topic: 'renato-in',
      write_topic: 'renato-out',
      error_topic: 'renato-error',
    });
    expect(JSON.parse(requests.get('POST /api/v2/templates')?.body?.raw ?? '')).toMatchObject({
      name: 'order_update',
      category: 'UTILITY',
    });
    // The numbers' example names a variable: no request of the collection carries a Graph token.
    expect(JSON.parse(requests.get('POST /api/v2/numbers')?.body?.raw ?? '')).toMatchObject({
      phone_number_id: '106540352242922',
      token_secret: 'WA_TOKEN_SALES',
    });
    for (const request of requests.values())
      expect(JSON.parse(request?.body?.raw ?? '{}')).not.toHaveProperty('token');
    expect(committed.auth.bearer[0].value).toBe('{{admin_api_key}}');
    expect(requests.get('GET /healthz')?.auth).toEqual({ type: 'noauth' });
  });
});
