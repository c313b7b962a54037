import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

const status = z.object({ status: z.string() });
const schema = { tags: ['health'], security: [] };

/** Liveness and readiness; unauthenticated so orchestrators can probe them. */
export function healthRoutes(deps: { isReady: () => Promise<boolean> }): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    routes.get('/healthz', { schema: { ...schema, response: { 200: status } } }, async () => ({
      status: 'ok',
    }));
    routes.get(
      '/readyz',
      { schema: { ...schema, response: { 200: status, 503: status } } },
      async (_r, reply) => {
        const ready = await deps.isReady();
        return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready' });
      },
    );
  };
}
