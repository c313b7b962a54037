import type { Logger } from '@wa-broker/shared/logger';
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { AgentRegistry } from '../adapters/agent-registry.js';
import type { GraphApi } from '../adapters/graph-api.client.js';
import type { Publish } from '../adapters/publisher.kafka.js';
import type { RateLimiter } from '../adapters/rate-limiter.redis.js';
import type { RouterStore } from '../adapters/router-store.redis.js';
import { SendClaims } from '../adapters/send-claims.redis.js';
import type { RouterConfig } from '../config.js';
import type { MenuTexts } from '../domain/menu.js';
import { defaultClaimLeaseMs } from '../domain/send-claim.js';
import type { RouterTexts } from '../domain/session.js';
import type { Metrics } from '../handlers/metrics.js';
import { handleOutbound } from '../handlers/outbound-message.js';
import { startOutboundConsumer } from './outbound.consumer.js';
import { createOutboundSupervisor } from './outbound-supervisor.js';

export interface OutboundWiring {
  kafka: Kafka;
  config: RouterConfig;
  logger: Logger;
  metrics: Metrics;
  store: RouterStore;
  publish: Publish;
  registry: AgentRegistry;
  texts: RouterTexts & MenuTexts;
  graph: GraphApi;
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
  const sender = {
    graph: w.graph,
    limiter: w.limiter,
    metrics: w.metrics,
    keyPrefix: config.REDIS_KEY_PREFIX,
    phoneNumberId: config.GRAPH_PHONE_NUMBER_ID,
    perNumberPerSecond: config.RATE_LIMIT_PER_NUMBER,
    numberWindowGuardMs: config.RATE_LIMIT_WINDOW_GUARD_MS,
    pairPerSecond: config.RATE_LIMIT_PAIR_PER_SECOND,
    pairBurst: config.RATE_LIMIT_PAIR_BURST,
    maxAttempts: config.SEND_MAX_ATTEMPTS,
    backoff: { baseMs: config.SEND_BACKOFF_BASE_MS, maxMs: config.SEND_BACKOFF_MAX_MS },
    random: Math.random,
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  };
  const leaseMs =
    (config.SEND_CLAIM_LEASE_SECONDS ?? 0) * 1000 ||
    defaultClaimLeaseMs({
      maxAttempts: config.SEND_MAX_ATTEMPTS,
      timeoutMs: config.GRAPH_TIMEOUT_MS,
      backoffMaxMs: config.SEND_BACKOFF_MAX_MS,
    });
  const claims = new SendClaims(w.redis, config.REDIS_KEY_PREFIX, {
    owner: w.instanceId,
    leaseMs,
    ttlSeconds: config.DEDUP_TTL_SECONDS,
  });
  const deps = {
    store: w.store,
    claims,
    inFlight: new Set<string>(),
    publish: w.publish,
    sender,
    agents: () => w.registry.list(),
    agentByOutTopic: (topic: string) => w.registry.byOutTopic(topic),
    texts: w.texts,
    routerOutTopic: config.ROUTER_OUT_TOPIC,
    deadLetterTopic: config.DEAD_LETTER_TOPIC,
    windowMarginMs: config.WINDOW_MARGIN_SECONDS * 1000,
    logger: w.logger,
    now: w.now,
  };
  return createOutboundSupervisor({
    topics: () => [
      config.ROUTER_OUT_TOPIC,
      ...w.registry
        .list()
        .filter((a) => a.active)
        .map((a) => a.topics.out),
    ],
    prepare: w.prepareTopics,
    createConsumer: () => w.kafka.consumer({ groupId: config.OUTBOUND_GROUP_ID, maxWaitTimeInMs: 1000 }),
    start: (consumer, topics) =>
      startOutboundConsumer({
        consumer,
        topics,
        handle: (m) => handleOutbound(m, deps),
        metrics: w.metrics,
        logger: w.logger,
      }),
    logger: w.logger,
  });
}
