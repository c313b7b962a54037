import type { Logger } from '@wa-broker/shared/logger';
import type { FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import type { Db } from 'mongodb';
import { assignmentStoreMongo, ensureAssignmentIndexes } from './adapters/assignment-store.mongo.js';
import {
  cannedRepliesCollection,
  cannedReplyStoreMongo,
  ensureCannedReplyIndexes,
} from './adapters/canned-reply-store.mongo.js';
import { conversationsCollection } from './adapters/conversation-store.mongo.js';
import { messagesCollection } from './adapters/message-store.mongo.js';
import type { Metrics } from './adapters/metrics.prom.js';
import { ensureNoteIndexes, noteStoreMongo, notesCollection } from './adapters/note-store.mongo.js';
import {
  ensureOperatorIndexes,
  operatorStoreMongo,
  operatorsCollection,
} from './adapters/operator-store.mongo.js';
import { scryptHasher } from './adapters/password.scrypt.js';
import {
  ensurePresenceIndexes,
  presenceCollection,
  presenceStoreMongo,
} from './adapters/presence-store.mongo.js';
import { searchMongo } from './adapters/search.mongo.js';
import {
  ensureSessionIndexes,
  sessionStoreMongo,
  sessionsCollection,
} from './adapters/session-store.mongo.js';
import { sessionTokens } from './adapters/session-tokens.js';
import { teamBusKafka } from './adapters/team-bus.kafka.js';
import { typingThrottleMongo } from './adapters/typing-throttle.mongo.js';
import type { AppConfig } from './app.js';
import { identifier } from './auth/identify.js';
import { type AccountDeps, ensureFirstAdmin } from './domain/accounts.js';
import type { InboxStores } from './domain/inbox.js';
import type { OutboundPort, PasswordHasher } from './domain/ports.js';
import { releaseAll, reopenOnInbound, type TeamDeps } from './domain/team.js';
import { authRoutes } from './routes/auth.js';
import { operatorRoutes } from './routes/operators.js';
import { answerExtraFrame } from './ws/conversation-extras.js';
import type { OperatorHub } from './ws/operator-hub.js';
import { presenceKeeper, teamRelay } from './ws/team.js';
import type { TeamRequestDeps } from './ws/team-requests.js';

export interface TeamAppDeps {
  config: AppConfig;
  db: Db;
  kafka: Kafka;
  instanceId: string;
  logger: Logger;
  now: () => Date;
  hasher?: PasswordHasher | undefined;
  stores: InboxStores;
  outbound: OutboundPort;
  metrics: Metrics;
  /** The hub is created after the team (it asks the team who signs in): read when used. */
  hub: () => OperatorHub;
}

/**
 * The operators' team (issue 20), wired by hand like app.ts: accounts and sign-in, assignment and presence,
 * typing, notes, canned replies and search, and the instances' channel that carries their news.
 */
export function buildTeam(deps: TeamAppDeps) {
  const { config, db, logger, now } = deps;
  const operators = operatorStoreMongo(operatorsCollection(db));
  const accounts: AccountDeps = {
    operators,
    sessions: sessionStoreMongo(sessionsCollection(db)),
    hasher: deps.hasher ?? scryptHasher(),
    tokens: sessionTokens,
    sessionTtlMs: config.SESSION_TTL_HOURS * 3600_000,
  };
  const conversations = conversationsCollection(db);
  const presence = presenceStoreMongo(presenceCollection(db), 3 * config.PRESENCE_HEARTBEAT_MS);
  const bus = teamBusKafka({
    kafka: deps.kafka,
    topic: config.operatorEventsTopic,
    groupPrefix: config.groupPrefix,
    instanceId: deps.instanceId,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    logger,
    onEvent: (event) => relay.apply(event),
  });
  const relay = teamRelay({ hub: deps.hub, bus, operators, presence, now, logger });
  const team: TeamDeps = {
    conversations: deps.stores.conversations,
    assignments: assignmentStoreMongo(conversations, db),
    operators,
    presence,
    publish: (event) => relay.publish(event),
  };
  const keeper = presenceKeeper({
    team,
    hub: deps.hub,
    instanceId: deps.instanceId,
    now,
    logger,
    heartbeatMs: config.PRESENCE_HEARTBEAT_MS,
    offlineReleaseMs: config.OFFLINE_RELEASE_AFTER_MS,
    autoAssign: config.AUTO_ASSIGN ? { capacity: config.AUTO_ASSIGN_CAPACITY } : null,
    // A socket outlives its session's cookie: it closes once the session expired (or was revoked unnoticed).
    onTick: async () => {
      const hub = deps.hub();
      for (const sessionId of hub.localSessions())
        if (!(await accounts.sessions.get(sessionId, now())))
          hub.closeWhere((actor) => actor.sessionId === sessionId, 'expired');
    },
  });
  const identify = identifier({
    accounts,
    devTokens: config.OPERATOR_DEV_TOKEN_AUTH ? (config.OPERATOR_TOKENS ?? []) : null,
    now,
  });
  const extras = {
    conversations: deps.stores.conversations,
    typing: {
      conversations: deps.stores.conversations,
      messages: deps.stores.messages,
      throttle: typingThrottleMongo(conversations),
      outbound: deps.outbound,
    },
    notes: deps.stores.notes ?? noteStoreMongo(notesCollection(db)),
    canned: cannedReplyStoreMongo(cannedRepliesCollection(db)),
    search: searchMongo(conversations, messagesCollection(db)),
    publish: team.publish,
    now,
    onTyping: (result: string) => deps.metrics.typingIndicators.inc({ result }),
  };
  const requests: TeamRequestDeps = {
    team,
    now,
    more: (frame, actor) => answerExtraFrame(extras, frame, actor),
  };

  return {
    identify,
    requests,
    onPresence: (operatorId: string, sockets: number) => void keeper.changed(operatorId, sockets),
    /** After the store group wrote an inbound message: a resolved conversation reopens for the same assignee. */
    async afterInbound(waId: string) {
      await reopenOnInbound(team, waId, now());
      await keeper.assignQueue();
    },
    routes(app: FastifyInstance) {
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
    },
    async start() {
      await Promise.all([
        ensureOperatorIndexes(operatorsCollection(db)),
        ensureSessionIndexes(sessionsCollection(db)),
        ensureAssignmentIndexes(conversations),
        ensurePresenceIndexes(presenceCollection(db)),
        ensureNoteIndexes(notesCollection(db)),
        ensureCannedReplyIndexes(cannedRepliesCollection(db)),
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
      await bus.start();
      await keeper.start();
    },
    /** Before the sockets close: this instance's presence entries go, the others are told. */
    stopPresence: () => keeper.stop(),
    stopBus: () => bus.stop(),
  };
}
