import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';

export interface HealthDeps {
  isReady: () => boolean;
  registry: Registry;
}

/** `/healthz`: the process answers. `/readyz`: the Kafka producer is connected and not stuck. `/metrics`. */
export function healthRoutes(deps: HealthDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', async () => ({ status: 'ok' }));
    app.get('/readyz', async (_req, reply) =>
      deps.isReady() ? { status: 'ready' } : reply.code(503).send({ status: 'not_ready' }),
    );
    app.get('/metrics', async (_req, reply) =>
      reply.type(deps.registry.contentType).send(await deps.registry.metrics()),
    );
  };
}
