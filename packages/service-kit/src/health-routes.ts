import type { FastifyPluginAsync } from 'fastify';

/** What `/metrics` needs of a prom-client Registry. */
export interface MetricsRegistry {
  contentType: string;
  metrics(): Promise<string>;
}

/** `/healthz` (the process runs), `/readyz` (it serves: 503 while starting), `/metrics` (Prometheus). */
export function healthRoutes(deps: { isReady: () => boolean; metrics: MetricsRegistry }): FastifyPluginAsync {
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
