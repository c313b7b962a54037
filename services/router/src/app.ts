import { hostname } from 'node:os';
import { healthRoutes } from '@wa-broker/service-kit/health-routes';
import type { Logger } from '@wa-broker/shared/logger';
import Fastify from 'fastify';
import type { Redis } from 'ioredis';
import { AgentRegistry } from './adapters/agent-registry.js';
import type { GraphApi } from './adapters/graph-api.client.js';
import { moveLegacyConversationKeys } from './adapters/legacy-keys.redis.js';
import { createMessagingLimit } from './adapters/messaging-limit.redis.js';
import { NumberRegistry } from './adapters/number-registry.js';
import { RouterStore } from './adapters/router-store.redis.js';
import { TemplateCatalog } from './adapters/template-catalog.js';
import type { RouterConfig } from './config.js';
import { createAgentsFollower } from './consumers/agents-wiring.js';
import { createInbound } from './consumers/inbound-wiring.js';
import { createKafkaWiring } from './consumers/kafka-wiring.js';
import { createNotifications } from './consumers/notifications-wiring.js';
import { createNumbersFollower, createTemplatesFollower } from './consumers/numbers-wiring.js';
import { startOutboundSupervisor } from './consumers/outbound-wiring.js';
import { graphApiClient, priorityLimiters, routerPresence, sendClaims } from './consumers/sender-wiring.js';
import { countPublished, createMetrics } from './handlers/metrics.js';
import { startUnresolvedSweeper } from './handlers/unresolved-sends.js';
import { routerTexts } from './texts.js';

export interface AppDeps {
  config: RouterConfig;
  logger: Logger;
  redis: Redis;
  /** Tests and the benchmark pass a fake; main.ts uses the real client. */
  graph?: GraphApi;
  now?: () => Date;
  /** Where numbers whose token is a named secret find it (main.ts: process.env). */
  secrets?: Readonly<Record<string, string | undefined>>;
}

/** Wires every entry point by hand; `start()` connects and consumes, `stop()` drains in reverse. */
export async function buildApp(deps: AppDeps) {
  const { config, logger, redis } = deps;
  const now = deps.now ?? (() => new Date());
  const metrics = createMetrics();
  const kafka = createKafkaWiring(config, logger);
  // Outside transactions (notification sends, the sweeper): counted once Kafka has acknowledged them.
  const publish = async (records: Parameters<typeof kafka.publish>[0]) => {
    await kafka.publish(records);
    countPublished(metrics, config.DEAD_LETTER_TOPIC, records);
  };
  const store = new RouterStore(redis, config.REDIS_KEY_PREFIX, {
    sessionSeconds: config.SESSION_TTL_SECONDS,
    dedupSeconds: config.DEDUP_TTL_SECONDS,
    wamidSeconds: config.WAMID_TTL_SECONDS,
  });
  const registry = new AgentRegistry();
  const numbers = new NumberRegistry({
    defaultNumber: {
      phoneNumberId: config.GRAPH_PHONE_NUMBER_ID,
      token: config.GRAPH_API_TOKEN,
      perSecond: config.RATE_LIMIT_PER_NUMBER,
    },
    tokenKey: config.NUMBER_TOKEN_KEY,
    secrets: deps.secrets ?? {},
    logger,
  });
  const numbersFollower = createNumbersFollower({ kafka, config, registry: numbers, logger });
  const templates = new TemplateCatalog((phoneNumberId) => numbers.wabaOf(phoneNumberId));
  const templatesFollower = createTemplatesFollower({ kafka, config, catalog: templates, logger });
  // One portfolio for the deployment's numbers: its messaging limit is shared by all of them.
  const messagingLimit = createMessagingLimit(
    redis,
    config.REDIS_KEY_PREFIX,
    config.PORTFOLIO_MESSAGING_LIMIT,
  );
  const texts = routerTexts(config);
  const graph = deps.graph ?? graphApiClient(config);
  const limiters = priorityLimiters(config, redis);
  const instanceId = `${hostname()}:${crypto.randomUUID().slice(0, 8)}`;
  const presence = routerPresence(config, redis, instanceId, logger);
  const inbound = createInbound({
    kafka,
    config,
    store,
    agents: () => registry.list(),
    numbers,
    texts,
    metrics,
    logger,
    now,
  });
  const notifications = createNotifications({
    kafka: kafka.kafka,
    config,
    logger,
    metrics,
    redis,
    graph,
    numbers,
    messagingLimit,
    publish,
    limiter: limiters.notifications,
    instanceId,
    now,
  });
  const outbound = startOutboundSupervisor({
    kafka: kafka.kafka,
    config,
    logger,
    metrics,
    store,
    registry,
    texts,
    graph,
    numbers,
    templates,
    messagingLimit,
    redis,
    now,
    instanceId,
    prepareTopics: kafka.prepareTopics,
    limiter: limiters.conversations,
  });
  const agents = createAgentsFollower({
    kafka,
    config,
    registry,
    logger,
    onAgentsChanged: () => outbound.refresh(),
  });
  const sweeper = startUnresolvedSweeper({
    claims: sendClaims(config, redis, instanceId),
    agentById: (id) => registry.list().find((agent) => agent.id === id),
    publish,
    deadLetterTopic: config.DEAD_LETTER_TOPIC,
    logger,
    now,
    intervalMs: 2_000,
    leaseMs: 30_000,
  });
  let ready = false;

  const app = Fastify({ loggerInstance: logger });
  await app.register(
    healthRoutes({ isReady: () => ready && redis.status === 'ready', metrics: metrics.registry }),
  );

  return {
    app,
    metrics,
    registry,
    async start(): Promise<void> {
      // Before anything is consumed: state of the previous release moves to conversation keys.
      const legacy = await moveLegacyConversationKeys(
        redis,
        config.REDIS_KEY_PREFIX,
        config.GRAPH_PHONE_NUMBER_ID,
      );
      if (legacy.moved + legacy.dropped > 0) logger.info(legacy, 'legacy conversation keys moved');
      await Promise.all([kafka.admin.connect(), kafka.producer.connect(), presence.start()]);
      await kafka.prepareTopics([
        config.WEBHOOK_TOPIC,
        config.ROUTER_OUT_TOPIC,
        config.DEAD_LETTER_TOPIC,
        config.MESSAGE_COSTS_TOPIC,
        ...notifications.topics,
      ]);
      await Promise.all([
        agents.prepareTopic(),
        numbersFollower.prepareTopic(),
        templatesFollower.prepareTopic(),
      ]);
      // Group joins take seconds each: the inbound consumer joins while agents, numbers and templates load.
      const agentsLoaded = Promise.all([
        agents.load(),
        numbersFollower.load(),
        templatesFollower.load(),
      ]).then(() => undefined);
      await Promise.all([agentsLoaded, inbound.start(agentsLoaded), notifications.start()]);
      sweeper.start();
      ready = true;
    },
    async stop(): Promise<void> {
      ready = false;
      // Consumers first (each finishes its batch and commits), together: each may wait out a fetch.
      await Promise.all([
        inbound.stopConsumer(),
        outbound.stop(),
        agents.stop(),
        numbersFollower.stop(),
        templatesFollower.stop(),
        notifications.stop(),
      ]);
      await sweeper.stop();
      await presence.stop();
      await inbound.closeTransactions();
      await kafka.producer.disconnect();
      await kafka.admin.disconnect();
    },
  };
}
