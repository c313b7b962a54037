import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { memoryDedupeStore } from '@wa-broker/agent-sdk';
import { DomainError } from '@wa-broker/shared/errors';
import type { Logger } from '@wa-broker/shared/logger';
import type { ServerFrame } from '@wa-broker/shared/operator-protocol';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import type { Db } from 'mongodb';
import {
  conversationMovesCollection,
  conversationStoreMongo,
  conversationsCollection,
  ensureConversationIndexes,
} from './adapters/conversation-store.mongo.js';
import {
  ensureMessageIndexes,
  messageStoreMongo,
  messagesCollection,
} from './adapters/message-store.mongo.js';
import { createMetrics } from './adapters/metrics.prom.js';
import { noteStoreMongo, notesCollection } from './adapters/note-store.mongo.js';
import { outboundSdk } from './adapters/outbound.sdk.js';
import {
  attemptsCollection,
  ensureAttemptIndexes,
  mongoRateLimitStore,
} from './adapters/rate-limit-store.mongo.js';
import { MemoryTemplateCatalog } from './adapters/template-catalog.memory.js';
import type { ServiceConfig } from './config.js';
import { agentStreams } from './consumers/agent-streams.js';
import { templateFollowers } from './consumers/template-changes.js';
import type { InboxStores } from './domain/inbox.js';
import { mediaLinker } from './domain/media-links.js';
import type { PasswordHasher } from './domain/ports.js';
import { conversationRoutes } from './routes/conversations.js';
import { healthRoutes } from './routes/health.js';
import { mediaProxyRoutes } from './routes/media.js';
import { buildTeam } from './team-app.js';
import { isAllowedOrigin } from './ws/auth.js';
import { attachOperatorHub } from './ws/operator-hub.js';
import { answerFrame } from './ws/operator-requests.js';
import { templatePushes } from './ws/template-pushes.js';

export type AppConfig = Pick<
  ServiceConfig,
  | 'AGENT_NAME'
  | 'OPERATOR_TOKENS'
  | 'OPERATOR_DEV_TOKEN_AUTH'
  | 'OPERATOR_ADMIN_EMAIL'
  | 'OPERATOR_ADMIN_PASSWORD'
  | 'OPERATOR_ADMIN_NAME'
  | 'SESSION_TTL_HOURS'
  | 'SESSION_COOKIE_SECURE'
  | 'SIGN_IN_MAX_PER_EMAIL'
  | 'SIGN_IN_MAX_PER_IP'
  | 'SIGN_IN_WINDOW_MS'
  | 'AUTO_ASSIGN'
  | 'AUTO_ASSIGN_CAPACITY'
  | 'OFFLINE_RELEASE_AFTER_MS'
  | 'PRESENCE_HEARTBEAT_MS'
  | 'operatorEventsTopic'
  | 'ALLOWED_ORIGINS'
  | 'STATIC_DIR'
  | 'KAFKA_REPLICATION_FACTOR'
  | 'topics'
  | 'changeTopics'
  | 'groupPrefix'
> &
  Partial<Pick<ServiceConfig, 'MEDIA_URL' | 'MEDIA_TOKEN' | 'MEDIA_MAX_UPLOAD_BYTES'>>;

export interface AppDeps {
  config: AppConfig;
  logger: Logger;
  db: Db;
  kafka: Kafka;
  /** Names this instance's push consumer group. */
  instanceId: string;
  now?: () => Date;
  /** scrypt with the production cost unless a test passes a cheaper one. */
  hasher?: PasswordHasher;
}

export interface AgentBackend {
  app: FastifyInstance;
  /** Creates indexes and topics, then starts both agents (store and push); resolves once both joined. */
  start(): Promise<void>;
  /** Stops pushing first, then closes sockets and HTTP, then the store agent and its producer. */
  stop(): Promise<void>;
}

/** The only place where domain error codes become HTTP statuses. */
const statusByCode: Record<string, number> = {
  invalid_credentials: 401,
  forbidden: 403,
  operator_not_found: 404,
  not_found: 404,
  email_taken: 409,
  last_admin: 409,
  conflict: 409,
};

/** Wires the service from its dependencies; never listens (main.ts does). */
export async function buildApp(deps: AppDeps): Promise<AgentBackend> {
  const { config, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const loggerInstance: FastifyBaseLogger = logger;
  const app = Fastify({ loggerInstance });
  app.setErrorHandler((error, req, reply) => {
    const status = error instanceof DomainError ? statusByCode[error.code] : undefined;
    if (status && error instanceof DomainError)
      return reply.code(status).send({ error: error.code, message: error.message });
    if ((error as { validation?: unknown }).validation)
      return reply.code(400).send({ error: 'invalid_request', message: (error as Error).message });
    req.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ error: 'internal' });
  });
  const metrics = createMetrics();
  const messages = messagesCollection(deps.db);
  const conversations = conversationsCollection(deps.db);
  const stores: InboxStores = {
    messages: messageStoreMongo(messages),
    conversations: conversationStoreMongo(conversations, conversationMovesCollection(deps.db)),
    notes: noteStoreMongo(notesCollection(deps.db)),
  };
  // The session cookie rides along with any request a browser makes: a page of another origin changes nothing
  // (SameSite=Lax already keeps it off cross-site POSTs; this also covers other sites of the same domain).
  app.addHook('onRequest', async (req, reply) => {
    if (req.method === 'GET' || req.method === 'HEAD' || !req.url.startsWith('/api/')) return;
    if (!isAllowedOrigin(req.raw, config.ALLOWED_ORIGINS ?? []))
      return reply.code(403).send({ error: 'forbidden_origin', message: 'not from this inbox' });
  });
  // Sign-in attempts counted in Mongo: the limits hold across instances.
  await app.register(rateLimit, {
    global: false,
    store: mongoRateLimitStore(attemptsCollection(deps.db), now),
  });
  // Bounded: an id is only needed until this instance's push agent has read its `-out` record back.
  const pushed = memoryDedupeStore({ maxEntries: 10_000, ttlMs: 3600_000 });
  const streams = agentStreams({
    kafka: deps.kafka,
    agentName: config.AGENT_NAME,
    topics: config.topics,
    groupPrefix: config.groupPrefix,
    instanceId: deps.instanceId,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    stores,
    pushed,
    broadcast: (frame) => hub.broadcast(withLinks(frame)),
    // The user wrote: a resolved conversation reopens for the same assignee; waiting ones may be handed out.
    onStored: async (plan) => {
      if (plan.message?.direction !== 'in' || !plan.conversation.wa_id) return;
      await team.afterInbound(await stores.conversations.currentKey(plan.conversation.wa_id));
    },
    logger,
    metrics,
  });
  const outbound = outboundSdk(streams.send);
  const team = buildTeam({
    config,
    db: deps.db,
    kafka: deps.kafka,
    instanceId: deps.instanceId,
    logger,
    now,
    hasher: deps.hasher,
    stores,
    outbound,
    metrics,
    hub: () => hub,
  });
  const catalog = new MemoryTemplateCatalog();
  const followers = templateFollowers({
    kafka: deps.kafka,
    topics: config.changeTopics,
    groupPrefix: config.groupPrefix,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    catalog,
    logger,
  });
  const pushes = templatePushes({ catalog, broadcast: (frame) => hub.broadcast(frame) });
  catalog.onChange((wabaId) => pushes.changed(wabaId));
  const media =
    config.MEDIA_URL && config.MEDIA_TOKEN ? { url: config.MEDIA_URL, token: config.MEDIA_TOKEN } : null;
  // Every frame leaving for an operator gets its files' signed links (none without a media service).
  const withLinks = media ? mediaLinker(media.token, now) : (frame: ServerFrame) => frame;

  const hub = attachOperatorHub({
    server: app.server,
    path: '/ws',
    identify: team.identify,
    allowedOrigins: config.ALLOWED_ORIGINS ?? [],
    agentName: config.AGENT_NAME,
    logger: logger.child({ component: 'operator-hub' }),
    metrics: {
      connections: (delta) => metrics.operatorConnections.inc(delta),
      frame: (type) => metrics.operatorFrames.inc({ type }),
    },
    onPresence: team.onPresence,
    answer: async (frame, actor) =>
      withLinks(
        await answerFrame(
          {
            stores,
            outbound,
            templates: catalog,
            agentName: config.AGENT_NAME,
            now,
            broadcast: (frame) => hub.broadcast(withLinks(frame)),
            pushed,
            onReply: (result) => metrics.replies.inc({ result }),
            onReadReceipt: (result) => metrics.readReceipts.inc({ result }),
            team: team.requests,
          },
          frame,
          actor,
        ),
      ),
  });

  app.register(
    healthRoutes({
      registry: metrics.registry,
      checks: {
        mongo: async () => (await deps.db.command({ ping: 1 })).ok === 1,
        consumers: async () => streams.isRunning() && templatesLoaded,
      },
    }),
  );
  app.register(conversationRoutes({ stores, identify: team.identify }));
  team.routes(app);
  if (media)
    app.register(
      mediaProxyRoutes({
        baseUrl: media.url,
        token: media.token,
        identify: team.identify,
        maxUploadBytes: config.MEDIA_MAX_UPLOAD_BYTES ?? 100 * 1024 * 1024,
      }),
    );
  else
    app.all('/api/media*', async (_request, reply) =>
      reply
        .code(503)
        .send({ error: 'media_not_configured', message: 'this inbox has no media service (MEDIA_URL)' }),
    );
  if (config.STATIC_DIR) app.register(fastifyStatic, { root: config.STATIC_DIR });
  let templatesLoaded = false;

  return {
    app,
    async start() {
      await Promise.all([
        ensureMessageIndexes(messages),
        ensureConversationIndexes(conversations),
        ensureAttemptIndexes(attemptsCollection(deps.db)),
      ]);
      await team.start();
      // The catalog is complete before the first reply is checked against it.
      await Promise.all([streams.start(), followers.start()]);
      templatesLoaded = true;
    },
    async stop() {
      await streams.stopPush();
      await team.stopPresence();
      pushes.stop();
      await followers.stop();
      await hub.close();
      await app.close();
      // Only now: a reply an operator sent while the sockets were closing still has its producer.
      await streams.stopStore();
      await team.stopBus();
    },
  };
}
