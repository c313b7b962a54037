import type { Logger } from '@wa-broker/shared/logger';
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { GraphApi } from '../adapters/graph-api.client.js';
import type { Publish } from '../adapters/publisher.kafka.js';
import type { RateLimiter } from '../adapters/rate-limiter.redis.js';
import { SendClaims } from '../adapters/send-claims.redis.js';
import type { RouterConfig } from '../config.js';
import { defaultClaimLeaseMs } from '../domain/send-claim.js';
import type { Metrics } from '../handlers/metrics.js';
import { handleNotificationSend } from '../handlers/notification-send.js';
import { handleNotificationStatuses } from '../handlers/notification-status.js';
import type { SenderDeps } from '../handlers/send-with-retry.js';
import { startNotificationConsumers } from './notifications.consumer.js';

export interface NotificationsWiring {
  kafka: Kafka;
  config: RouterConfig;
  logger: Logger;
  metrics: Metrics;
  redis: Redis;
  graph: GraphApi;
  publish: Publish;
  /** The notifications' side of the priority limiter. */
  limiter: RateLimiter;
  instanceId: string;
  now: () => Date;
}

/** Notification sends and their statuses: consumers, claims and sender settings in one place. */
export function createNotifications(w: NotificationsWiring) {
  const { config } = w;
  const sender: SenderDeps = {
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
  const claims = new SendClaims(w.redis, config.REDIS_KEY_PREFIX, {
    owner: w.instanceId,
    leaseMs:
      (config.SEND_CLAIM_LEASE_SECONDS ?? 0) * 1000 ||
      defaultClaimLeaseMs({
        maxAttempts: config.SEND_MAX_ATTEMPTS,
        timeoutMs: config.GRAPH_TIMEOUT_MS,
        backoffMaxMs: config.SEND_BACKOFF_MAX_MS,
      }),
    ttlSeconds: config.DEDUP_TTL_SECONDS,
  });
  const consumer = (groupId: string) => w.kafka.consumer({ groupId, maxWaitTimeInMs: 1000 });
  const sendConsumer = consumer(config.NOTIFY_SEND_GROUP_ID);
  const statusConsumer = consumer(config.NOTIFY_STATUS_GROUP_ID);
  const common = {
    redis: w.redis,
    keyPrefix: config.REDIS_KEY_PREFIX,
    publish: w.publish,
    eventsTopic: config.NOTIFICATION_EVENTS_TOPIC,
    wamidTtlSeconds: config.WAMID_TTL_SECONDS,
  };
  return {
    topics: [config.NOTIFICATIONS_SEND_TOPIC, config.NOTIFICATION_EVENTS_TOPIC],
    async start(): Promise<void> {
      const sendDeps = {
        ...common,
        claims,
        inFlight: new Set<string>(),
        sender,
        deadLetterTopic: config.DEAD_LETTER_TOPIC,
        logger: w.logger,
        now: w.now,
      };
      await startNotificationConsumers({
        sendConsumer,
        statusConsumer,
        sendTopic: config.NOTIFICATIONS_SEND_TOPIC,
        webhookTopic: config.WEBHOOK_TOPIC,
        concurrency: config.NOTIFY_SEND_CONCURRENCY,
        handleSend: (value) => handleNotificationSend(value, sendDeps),
        handleStatuses: (events) => handleNotificationStatuses(events, common),
        logger: w.logger,
      });
    },
    async stop(): Promise<void> {
      await Promise.all([sendConsumer.disconnect(), statusConsumer.disconnect()]);
    },
  };
}
