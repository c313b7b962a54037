import rateLimit from '@fastify/rate-limit';
import { bearerAuth } from '@wa-broker/service-kit/bearer-auth';
import type { Logger } from '@wa-broker/shared/logger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import type { AgentService } from './domain/agent-service.js';
import type { CostService } from './domain/cost-service.js';
import type { NumberService } from './domain/number-service.js';
import type { TemplateService } from './domain/template-service.js';
import { registerDocs } from './plugins/docs.js';
import { installErrorHandler } from './plugins/error-handler.js';
import { installRequestMetrics } from './plugins/metrics.js';
import { healthRoutes } from './routes/health.js';
import { v1AgentRoutes } from './routes/v1-agents.js';
import { v2AgentRoutes } from './routes/v2-agents.js';
import { v2CostRoutes } from './routes/v2-costs.js';
import { v2NumberRoutes } from './routes/v2-numbers.js';
import { v2TemplateRoutes } from './routes/v2-templates.js';

export interface AppDeps {
  logger: Logger;
  agents: AgentService;
  numbers: NumberService;
  templates: TemplateService;
  costs: CostService;
  apiKeys: readonly string[];
  rateLimit: { max: number; windowMs: number };
  metrics: Registry;
  isDatabaseReachable: () => Promise<boolean>;
}

/** Builds the HTTP server from its dependencies; never listens (main.ts does). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app = Fastify({ loggerInstance, routerOptions: { ignoreTrailingSlash: true } });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  installRequestMetrics(app, deps.metrics);
  // Before auth: a flood of bad keys is throttled too.
  await app.register(rateLimit, { max: deps.rateLimit.max, timeWindow: deps.rateLimit.windowMs });
  await registerDocs(app);

  await app.register(healthRoutes({ isDatabaseReachable: deps.isDatabaseReachable }));
  await app.register(async (secured) => {
    secured.addHook('preParsing', bearerAuth(deps.apiKeys));
    secured.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
      reply.type(deps.metrics.contentType).send(await deps.metrics.metrics()),
    );
    await secured.register(v1AgentRoutes({ agents: deps.agents }));
    await secured.register(v2AgentRoutes({ agents: deps.agents }));
    await secured.register(v2NumberRoutes({ numbers: deps.numbers }));
    await secured.register(v2TemplateRoutes({ templates: deps.templates }));
    await secured.register(v2CostRoutes({ costs: deps.costs }));
  });
  return app;
}
