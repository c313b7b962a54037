import { hostname } from 'node:os';
import { followAgentChanges } from '@wa-broker/shared/agent-changes-follower';
import { createIdempotentProducer } from '@wa-broker/shared/idempotent-producer';
import {
  createKafka,
  createReadCommittedConsumer,
  ensureTopics,
  type TopicSpec,
} from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import Fastify from 'fastify';
import type { Redis } from 'ioredis';
import { AgentRegistry } from './adapters/agent-registry.js';
import { committedOffsetReader } from './adapters/committed-offsets.kafka.js';
import { createGraphApiClient, type GraphApi } from './adapters/graph-api.client.js';
import { createPartitionTransactions } from './adapters/partition-transactions.kafka.js';
import { createPriorityLimiters } from './adapters/priority-limiter.redis.js';
import { createKafkaPublisher } from './adapters/publisher.kafka.js';
import { createRedisRateLimiter } from './adapters/rate-limiter.redis.js';
import { RouterStore } from './adapters/router-store.redis.js';
import { createPresence } from './adapters/send-claims.redis.js';
import { groupTiming, type RouterConfig } from './config.js';
import { startInboundConsumer } from './consumers/inbound.consumer.js';
import { createNotifications } from './consumers/notifications-wiring.js';
import { startOutboundSupervisor } from './consumers/outbound-wiring.js';
import { sendClaims } from './consumers/sender-wiring.js';
import { type ConsumedBatch, routeInboundBatch } from './handlers/inbound-batch.js';
import { createMetrics } from './handlers/metrics.js';
import { startUnresolvedSweeper } from './handlers/unresolved-sends.js';
import { healthRoutes } from './routes/health.js';
import { routerTexts } from './texts.js';

export interface AppDeps {
  config: RouterConfig;
  logger: Logger;
  redis: Redis;
  /** Tests and the benchmark pass a fake; main.ts uses the real client. */
  graph?: GraphApi;
  now?: () => Date;
}

/** Wires every entry point by hand; `start()` connects and consumes, `stop()` drains in reverse. */
export async function buildApp(deps: AppDeps) {
  const { config, logger, redis } = deps;
  const now = deps.now ?? (() => new Date());
  const metrics = createMetrics();
  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID ?? 'router',
    logger,
  });
  const admin = kafka.admin();
  // Idempotent with acks=all: a produce retried after a broker died is never written twice to an agent's -in
  // (a new producer id after the broker rejects its sequence: see createIdempotentProducer).
  const producer = createIdempotentProducer(
    kafka,
    { allowAutoTopicCreation: false, maxInFlightRequests: 1 },
    logger,
  );
  const publish = createKafkaPublisher(producer);
  const store = new RouterStore(redis, config.REDIS_KEY_PREFIX, {
    sessionSeconds: config.SESSION_TTL_SECONDS,
    dedupSeconds: config.DEDUP_TTL_SECONDS,
    wamidSeconds: config.WAMID_TTL_SECONDS,
  });
  const registry = new AgentRegistry();
  const texts = routerTexts(config);
  const graph =
    deps.graph ??
    createGraphApiClient({
      baseUrl: config.GRAPH_API_BASE_URL,
      version: config.GRAPH_API_VERSION,
      phoneNumberId: config.GRAPH_PHONE_NUMBER_ID,
      token: config.GRAPH_API_TOKEN,
      timeoutMs: config.GRAPH_TIMEOUT_MS,
    });
  // An idle fetch waits at most 1 s (kafkajs: 5 s), so stop() is not held up by long polls.
  const inboundConsumer = createReadCommittedConsumer(kafka, {
    groupId: config.INBOUND_GROUP_ID,
    maxWaitTimeInMs: 1000,
    ...groupTiming(config),
  });
  const inboundTransactions = createPartitionTransactions(kafka, {
    groupId: config.INBOUND_GROUP_ID,
    transactionTimeoutMs: config.KAFKA_TRANSACTION_TIMEOUT_MS,
    logger,
  });
  const agentsConsumer = createReadCommittedConsumer(kafka, {
    ...groupTiming(config),
    groupId: `${config.OUTBOUND_GROUP_ID}-agents-${crypto.randomUUID()}`,
    maxWaitTimeInMs: 1000,
  });
  const topicSpec = (topic: string): TopicSpec => ({ topic, numPartitions: config.KAFKA_PARTITIONS });
  const prepareTopics = (topics: string[]) =>
    ensureTopics(admin, topics.map(topicSpec), { replicationFactor: config.KAFKA_REPLICATION_FACTOR });
  // Agent conversations before notifications on the number's bucket (adapters/priority-limiter.redis.ts).
  const priority = createPriorityLimiters(createRedisRateLimiter(redis), redis, {
    waitingKey: `${config.REDIS_KEY_PREFIX}rate:conversations-waiting:${config.GRAPH_PHONE_NUMBER_ID}`,
    pollMs: 10,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  const instanceId = `${hostname()}:${crypto.randomUUID().slice(0, 8)}`;
  // Lets other routers tell a crashed owner's send claims from a live one's within ~10 s (domain/send-claim.ts).
  const presence = createPresence(redis, config.REDIS_KEY_PREFIX, {
    owner: instanceId,
    refreshMs: 3_000,
    ttlMs: 10_000,
    onError: (err) => logger.warn({ err }, 'router presence not refreshed'),
  });
  const notifications = createNotifications({
    kafka,
    config,
    logger,
    metrics,
    redis,
    graph,
    publish,
    limiter: priority.notifications,
    instanceId,
    now,
  });
  const outbound = startOutboundSupervisor({
    kafka,
    config,
    logger,
    metrics,
    store,
    registry,
    texts,
    graph,
    redis,
    now,
    instanceId,
    prepareTopics,
    limiter: priority.conversations,
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
      await Promise.all([admin.connect(), producer.connect(), presence.start()]);
      await prepareTopics([
        config.WEBHOOK_TOPIC,
        config.ROUTER_OUT_TOPIC,
        config.DEAD_LETTER_TOPIC,
        ...notifications.topics,
      ]);
      await ensureTopics(
        admin,
        [{ topic: config.AGENT_CHANGES_TOPIC, configs: { 'cleanup.policy': 'compact' } }],
        { replicationFactor: config.KAFKA_REPLICATION_FACTOR },
      );
      // Every agent ever known gets its topics, so routing to an agent never fails on a missing topic.
      const agentTopics = () => registry.list().flatMap((a) => [a.topics.in, a.topics.out, a.topics.error]);
      const loadAgents = async () => {
        await followAgentChanges({
          consumer: agentsConsumer,
          admin,
          topic: config.AGENT_CHANGES_TOPIC,
          apply: (agent) => registry.apply(agent),
          remove: (key) => registry.remove(key),
          logger,
        });
        await prepareTopics(agentTopics());
        registry.onChange(
          () =>
            void prepareTopics(agentTopics())
              .then(() => outbound.refresh())
              .catch((err: unknown) => logger.error({ err }, 'agent topics')),
        );
        await outbound.refresh();
      };
      // Group joins take seconds each: the inbound consumer joins while the agents load, and waits for them.
      const agentsLoaded = loadAgents();
      const inboundDeps = {
        store,
        agents: () => registry.list(),
        texts,
        routerOutTopic: config.ROUTER_OUT_TOPIC,
        deadLetterTopic: config.DEAD_LETTER_TOPIC,
        committedOffset: committedOffsetReader(admin, config.INBOUND_GROUP_ID, {
          known: (topic, partition) => inboundTransactions.committedNext(topic, partition),
        }),
        metrics,
        logger,
        now,
      };
      const routeBatch = async (batch: ConsumedBatch) => {
        await agentsLoaded;
        return routeInboundBatch(batch, inboundDeps);
      };
      await Promise.all([
        agentsLoaded,
        startInboundConsumer({
          consumer: inboundConsumer,
          topic: config.WEBHOOK_TOPIC,
          transactions: inboundTransactions,
          checkpointKey: (topic, partition) =>
            store.key('checkpoint', config.INBOUND_GROUP_ID, topic, String(partition)),
          routeBatch,
          metrics,
          logger,
        }),
        notifications.start(),
      ]);
      sweeper.start();
      ready = true;
    },
    async stop(): Promise<void> {
      ready = false;
      // Consumers first (each finishes its batch and commits), together: each may wait out a fetch.
      await Promise.all([
        inboundConsumer.disconnect(),
        outbound.stop(),
        agentsConsumer.disconnect(),
        notifications.stop(),
      ]);
      await sweeper.stop();
      await presence.stop();
      await inboundTransactions.close();
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}
