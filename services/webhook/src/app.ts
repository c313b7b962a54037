import type { Logger } from '@wa-broker/shared/logger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { DeliveryPublisher } from './adapters/delivery-publisher.kafka.js';
import type { WebhookMetrics } from './adapters/metrics.js';
import { installErrorHandler } from './plugins/error-handler.js';
import { healthRoutes } from './routes/health.js';
import { metaWebhookRoutes } from './routes/meta-webhook.js';

export interface AppDeps {
  logger: Logger;
  verifyToken: string;
  appSecrets: readonly string[];
  bodyLimitBytes: number;
  publisher: DeliveryPublisher;
  metrics: WebhookMetrics;
}

/** Builds the HTTP server from its dependencies; never listens (main.ts does). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // Per-request access lines would be the busiest log at Meta's rates; outcomes are counted in /metrics.
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request: pino redacts a child's bindings when it is made, a cost on every POST for
    // a logger used only on errors (the few lines that log name the request id themselves).
    childLoggerFactory: (logger) => logger,
  });
  installErrorHandler(app, deps.metrics);
  await app.register(
    healthRoutes({ isReady: () => deps.publisher.isReady(), registry: deps.metrics.registry }),
  );
  await app.register(
    metaWebhookRoutes({
      verifyToken: deps.verifyToken,
      appSecrets: deps.appSecrets,
      bodyLimitBytes: deps.bodyLimitBytes,
      publisher: deps.publisher,
      metrics: deps.metrics,
    }),
  );
  return app;
}
