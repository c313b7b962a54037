import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { memoryDedupeStore } from '@wa-broker/agent-sdk';
import { DomainError } from '@wa-broker/shared/errors';
import type { Logger } from '@wa-broker/shared/logger';
import type { ServerFrame } from '@wa-broker/shared/operator-protocol';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import type { Db } from 'mongodb';
import { assignmentStoreMongo, ensureAssignmentIndexes } from './adapters/assignment-store.mongo.js';
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
import {
  ensureOperatorIndexes,
  operatorStoreMongo,
  operatorsCollection,
} from './adapters/operator-store.mongo.js';
import { outboundSdk } from './adapters/outbound.sdk.js';
import { scryptHasher } from './adapters/password.scrypt.js';
import {
  ensurePresenceIndexes,
  presenceCollection,
  presenceStoreMongo,
} from './adapters/presence-store.mongo.js';
import {
  ensureSessionIndexes,
  sessionStoreMongo,
  sessionsCollection,
} from './adapters/session-store.mongo.js';
import { sessionTokens } from './adapters/session-tokens.js';
import { teamBusKafka } from './adapters/team-bus.kafka.js';
import { MemoryTemplateCatalog } from './adapters/template-catalog.memory.js';
import { identifier } from './auth/identify.js';
import type { ServiceConfig } from './config.js';
import { agentStreams } from './consumers/agent-streams.js';
import { templateFollowers } from './consumers/template-changes.js';
import { type AccountDeps, ensureFirstAdmin } from './domain/accounts.js';
import type { InboxStores } from './domain/inbox.js';
import { mediaLinker } from './domain/media-links.js';
import type { PasswordHasher } from './domain/ports.js';
import { changeStatus, releaseAll, type TeamDeps } from './domain/team.js';
import { authRoutes } from './routes/auth.js';
import { conversationRoutes } from './routes/conversations.js';
import { healthRoutes } from './routes/health.js';
import { mediaProxyRoutes } from './routes/media.js';
import { operatorRoutes } from './routes/operators.js';
import { attachOperatorHub } from './ws/operator-hub.js';
import { answerFrame } from './ws/operator-requests.js';
import { presenceKeeper, teamRelay } from './ws/team.js';
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
  };
  await app.register(rateLimit, { global: false });
  const operatorsStore = operatorStoreMongo(operatorsCollection(deps.db));
  const accounts: AccountDeps = {
    operators: operatorsStore,
    sessions: sessionStoreMongo(sessionsCollection(deps.db)),
    hasher: deps.hasher ?? scryptHasher(),
    tokens: sessionTokens,
    sessionTtlMs: config.SESSION_TTL_HOURS * 3600_000,
  };
  const assignments = assignmentStoreMongo(conversations, deps.db);
  const presence = presenceStoreMongo(presenceCollection(deps.db), 3 * config.PRESENCE_HEARTBEAT_MS);
  const bus = teamBusKafka({
    kafka: deps.kafka,
    topic: config.operatorEventsTopic,
    groupPrefix: config.groupPrefix,
    instanceId: deps.instanceId,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    logger,
    onEvent: (event) => relay.apply(event),
  });
  const relay = teamRelay({ hub: () => hub, bus, operators: operatorsStore, presence, now, logger });
  const team: TeamDeps = {
    conversations: stores.conversations,
    assignments,
    operators: operatorsStore,
    presence,
    publish: (event) => relay.publish(event),
  };
  const keeper = presenceKeeper({
    team,
    hub: () => hub,
    instanceId: deps.instanceId,
    now,
    logger,
    heartbeatMs: config.PRESENCE_HEARTBEAT_MS,
    offlineReleaseMs: config.OFFLINE_RELEASE_AFTER_MS,
    autoAssign: config.AUTO_ASSIGN ? { capacity: config.AUTO_ASSIGN_CAPACITY } : null,
  });
  const identify = identifier({
    accounts,
    devTokens: config.OPERATOR_DEV_TOKEN_AUTH ? (config.OPERATOR_TOKENS ?? []) : null,
    now,
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
      const waId = await stores.conversations.currentKey(plan.conversation.wa_id);
      await changeStatus(team, waId, 'open', null, now());
      await keeper.assignQueue();
    },
    logger,
    metrics,
  });
  const outbound = outboundSdk(streams.send);
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
    identify,
    allowedOrigins: config.ALLOWED_ORIGINS ?? [],
    agentName: config.AGENT_NAME,
    logger: logger.child({ component: 'operator-hub' }),
    metrics: {
      connections: (delta) => metrics.operatorConnections.inc(delta),
      frame: (type) => metrics.operatorFrames.inc({ type }),
    },
    onPresence: (operatorId, sockets) => void keeper.changed(operatorId, sockets),
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
            team: {
              team,
              now,
              more: async (frame) => {
                throw new DomainError('invalid_frame', `${frame.type} is not served yet.`);
              },
            },
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
  app.register(conversationRoutes({ stores, identify }));
  app.register(
    authRoutes({
      accounts,
      identify,
      secureCookie: config.SESSION_COOKIE_SECURE,
      rateLimit: {
        perEmail: config.SIGN_IN_MAX_PER_EMAIL,
        perIp: config.SIGN_IN_MAX_PER_IP,
        windowMs: config.SIGN_IN_WINDOW_MS,
      },
      now,
      onSignedOut: (sessionId) =>
        relay.publish({ kind: 'sign_out', reason: 'signed_out', session_id: sessionId }),
    }),
  );
  app.register(
    operatorRoutes({
      accounts,
      identify,
      now,
      onRemoved: async (operatorId) => {
        await relay.publish({ kind: 'sign_out', reason: 'disabled', operator_id: operatorId });
        await releaseAll(team, operatorId, 'disabled', now());
      },
      onChanged: (operatorId) => relay.publish({ kind: 'presence', operator_id: operatorId }),
    }),
  );
  if (media)
    app.register(
      mediaProxyRoutes({
        baseUrl: media.url,
        token: media.token,
        identify,
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
        ensureOperatorIndexes(operatorsCollection(deps.db)),
        ensureSessionIndexes(sessionsCollection(deps.db)),
        ensureAssignmentIndexes(conversations),
        ensurePresenceIndexes(presenceCollection(deps.db)),
      ]);
      if (config.OPERATOR_ADMIN_EMAIL && config.OPERATOR_ADMIN_PASSWORD) {
        const admin = {
          email: config.OPERATOR_ADMIN_EMAIL,
          password: config.OPERATOR_ADMIN_PASSWORD,
          name: config.OPERATOR_ADMIN_NAME,
        };
        const outcome = await ensureFirstAdmin(accounts, admin, now());
        if (outcome !== 'exists') logger.info({ outcome }, 'first admin from configuration');
      }
      // The catalog is complete before the first reply is checked against it.
      await Promise.all([streams.start(), followers.start(), bus.start()]);
      await keeper.start();
      templatesLoaded = true;
    },
    async stop() {
      await streams.stopPush();
      await keeper.stop();
      pushes.stop();
      await followers.stop();
      await hub.close();
      await app.close();
      // Only now: a reply an operator sent while the sockets were closing still has its producer.
      await streams.stopStore();
      await bus.stop();
    },
  };
}
