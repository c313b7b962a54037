import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { publicRoute } from './common-schemas.js';

const status = z.object({ status: z.string() });
const noRateLimit = { rateLimit: false } as const;

/** Liveness, readiness and the original's `GET /`; unauthenticated so orchestrators can probe them. */
export function healthRoutes(deps: { isDatabaseReachable: () => Promise<boolean> }): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['health'];
    routes.get(
      '/',
      {
        config: noRateLimit,
        schema: {
          ...publicRoute,
          tags,
          summary: "The original broker's health check",
          response: { 200: status },
        },
      },
      async () => ({ status: 'ok' }),
    );
    routes.get(
      '/healthz',
      {
        config: noRateLimit,
        schema: { ...publicRoute, tags, summary: 'Liveness: the process is up', response: { 200: status } },
      },
      async () => ({ status: 'ok' }),
    );
    routes.get(
      '/readyz',
      {
        config: noRateLimit,
        schema: {
          ...publicRoute,
          tags,
          summary: 'Readiness: PostgreSQL answers',
          response: { 200: status, 503: status },
        },
      },
      async (_request, reply) => {
        const ready = await deps.isDatabaseReachable();
        return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'database unreachable' });
      },
    );
  };
}
