import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { bearerAuth } from './bearer-auth.js';

async function appWith(keys: string[]) {
  const app = Fastify();
  app.setErrorHandler((error: { code?: string; statusCode?: number }, _request, reply) =>
    reply.code(error.code === 'unauthorized' ? 401 : (error.statusCode ?? 500)).send({ error: error.code }),
  );
  app.addHook('preParsing', bearerAuth(keys));
  app.post('/x', async (request) => ({ body: request.body }));
  return app;
}

describe('bearerAuth', () => {
  it('accepts any configured key and refuses a missing, wrong or malformed one before parsing the body', async () => {
    const app = await appWith(['first-key-0123456789', 'second-key-0123456789']);
    const post = (authorization?: string) =>
      app.inject({
        method: 'POST',
        url: '/x',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        payload: '{"not json',
      });
    expect((await post('Bearer second-key-0123456789')).statusCode).toBe(400);
    for (const header of [
      undefined,
      'Bearer nope',
      'Basic second-key-0123456789',
      'Bearer first-key-0123456789 extra',
    ]) {
      const response = await post(header);
      expect(response.statusCode, String(header)).toBe(401);
      expect(response.json()).toEqual({ error: 'unauthorized' });
    }
  });
});
