import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';

export interface HealthDeps {
  /** Each check resolves true when its dependency is usable. */
  checks: Record<string, () => Promise<boolean>>;
  registry: Registry;
}

export function healthRoutes(deps: HealthDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', async () => ({ status: 'ok' }));
    app.get('/readyz', async (_req, reply) => {
      const entries = await Promise.all(
        Object.entries(deps.checks).map(async ([name, check]) => [name, await check().catch(() => false)]),
      );
      const checks = Object.fromEntries(entries) as Record<string, boolean>;
      const ready = Object.values(checks).every(Boolean);
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
    });
    app.get('/metrics', async (_req, reply) =>
      reply.type(deps.registry.contentType).send(await deps.registry.metrics()),
    );
  };
}
