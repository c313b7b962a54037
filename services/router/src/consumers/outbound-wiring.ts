import { createReadCommittedConsumer } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import { createTopicSetConsumer } from '@wa-broker/shared/topic-set-consumer';
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { AgentRegistry } from '../adapters/agent-registry.js';
import { trackConsumerLag } from '../adapters/consumer-lag.kafka.js';
import type { GraphApi } from '../adapters/graph-api.client.js';
import { createPartitionTransactions } from '../adapters/partition-transactions.kafka.js';
import type { RateLimiter } from '../adapters/rate-limiter.redis.js';
import type { RouterStore } from '../adapters/router-store.redis.js';
import { groupTiming, type RouterConfig } from '../config.js';
import type { MenuTexts } from '../domain/menu.js';
import type { MessagingLimit, NumberDirectory } from '../domain/ports.js';
import type { RouterTexts } from '../domain/session.js';
import type { TemplateCatalogView } from '../domain/template-check.js';
import type { Metrics } from '../handlers/metrics.js';
import { handleOutbound } from '../handlers/outbound-message.js';
import { startOutboundConsumer } from './outbound.consumer.js';
import { sendClaims, senderDeps } from './sender-wiring.js';

export interface OutboundWiring {
  kafka: Kafka;
  config: RouterConfig;
  logger: Logger;
  metrics: Metrics;
  store: RouterStore;
  registry: AgentRegistry;
  texts: RouterTexts & MenuTexts;
  graph: GraphApi;
  numbers: NumberDirectory;
  templates: TemplateCatalogView;
  messagingLimit: MessagingLimit;
  redis: Redis;
  limiter: RateLimiter;
  now: () => Date;
  /** This process, as the owner of its send claims. */
  instanceId: string;
  prepareTopics: (topics: string[]) => Promise<void>;
}

/** The out-consumer and its dependencies: every active agent's `-out` topic plus router-out, to the Graph API. */
export function startOutboundSupervisor(w: OutboundWiring) {
  const { config } = w;
  const sender = senderDeps(config, w);
  const claims = sendClaims(config, w.redis, w.instanceId, w.store);
  const transactions = createPartitionTransactions(w.kafka, {
    groupId: config.OUTBOUND_GROUP_ID,
    transactionTimeoutMs: config.KAFKA_TRANSACTION_TIMEOUT_MS,
    logger: w.logger,
  });
  const deps = {
    store: w.store,
    claims,
    inFlight: new Set<string>(),
    neverCalled: new Set<string>(),
    unknownAfterMs: config.SEND_UNKNOWN_AFTER_SECONDS * 1000,
    sender,
    agents: () => w.registry.list(),
    agentByOutTopic: (topic: string) => w.registry.byOutTopic(topic),
    templates: w.templates,
    texts: w.texts,
    routerOutTopic: config.ROUTER_OUT_TOPIC,
    deadLetterTopic: config.DEAD_LETTER_TOPIC,
    messageCostsTopic: config.MESSAGE_COSTS_TOPIC,
    logger: w.logger,
    now: w.now,
  };
  const consumers = createTopicSetConsumer({
    name: 'outbound',
    topics: () => [
      config.ROUTER_OUT_TOPIC,
      ...w.registry
        .list()
        .filter((a) => a.active)
        .map((a) => a.topics.out),
    ],
    prepare: w.prepareTopics,
    createConsumer: () => {
      const consumer = createReadCommittedConsumer(w.kafka, {
        groupId: config.OUTBOUND_GROUP_ID,
        maxWaitTimeInMs: 1000,
        ...groupTiming(config),
      });
      trackConsumerLag(consumer, config.OUTBOUND_GROUP_ID, w.metrics.lag);
      return consumer;
    },
    start: (consumer, topics) =>
      startOutboundConsumer({
        consumer,
        topics,
        transactions,
        handle: (m, emit) => handleOutbound(m, deps, emit),
        metrics: w.metrics,
        deadLetterTopic: config.DEAD_LETTER_TOPIC,
        logger: w.logger,
      }),
    logger: w.logger,
  });
  return {
    refresh: () => consumers.refresh(),
    async stop() {
      await consumers.stop();
      await transactions.close();
    },
  };
}
