import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';

export function healthRoutes(deps: { isReady: () => boolean; metrics: Registry }): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', async () => ({ status: 'ok' }));
    app.get('/readyz', async (_req, reply) =>
      deps.isReady() ? { status: 'ready' } : reply.code(503).send({ status: 'starting' }),
    );
    app.get('/metrics', async (_req, reply) =>
      reply.header('content-type', deps.metrics.contentType).send(await deps.metrics.metrics()),
    );
  };
}
