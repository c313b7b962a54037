import type { Logger } from '@wa-broker/shared/logger';
import Fastify from 'fastify';

export interface AppDeps {
  logger: Logger;
}

/** Builds the HTTP server from its dependencies; never listens (main.ts does). */
export async function buildApp(deps: AppDeps) {
  const app = Fastify({ loggerInstance: deps.logger });
  app.get('/healthz', async () => ({ status: 'ok' }));
  return app;
}
