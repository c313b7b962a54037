import { bearerAuth } from '@wa-broker/service-kit/bearer-auth';
import type { Logger } from '@wa-broker/shared/logger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AgentDirectory } from './adapters/agent-directory.js';
import type { ConversationLog } from './domain/conversation-ports.js';
import type { NotificationService } from './domain/notification-service.js';
import { registerDocs } from './plugins/docs.js';
import { installErrorHandler } from './plugins/error-handler.js';
import { conversationRoutes } from './routes/conversations.js';
import { healthRoutes } from './routes/health.js';
import { notificationRoutes } from './routes/notifications.js';

export interface AppDeps {
  logger: Logger;
  service: NotificationService;
  /** The call-event log and the agent names it shows. */
  conversations: { log: ConversationLog; agents: AgentDirectory };
  apiKeys: readonly string[];
  maxRecipients: number;
  isReady: () => Promise<boolean>;
}

/** Builds the HTTP server from its dependencies; never listens (main.ts does). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger = deps.logger;
  // 10,000 recipients with parameters exceed Fastify's 1 MiB default.
  const app = Fastify({
    loggerInstance,
    bodyLimit: 16 * 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  await registerDocs(app);
  await app.register(healthRoutes({ isReady: deps.isReady }));
  await app.register(async (secured) => {
    secured.addHook('preParsing', bearerAuth(deps.apiKeys));
    await secured.register(notificationRoutes({ service: deps.service, maxRecipients: deps.maxRecipients }));
    await secured.register(conversationRoutes(deps.conversations));
  });
  return app;
}
