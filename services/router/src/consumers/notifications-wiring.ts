import { createReadCommittedConsumer } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import { createCancellationLookup } from '../adapters/cancellations.redis.js';
import { trackConsumerLag } from '../adapters/consumer-lag.kafka.js';
import type { GraphApi } from '../adapters/graph-api.client.js';
import { createNotificationSendStore } from '../adapters/notification-sends.redis.js';
import type { Publish } from '../adapters/publisher.kafka.js';
import type { RateLimiter } from '../adapters/rate-limiter.redis.js';
import { groupTiming, type RouterConfig } from '../config.js';
import type { MessagingLimit, NumberDirectory } from '../domain/ports.js';
import type { Metrics } from '../handlers/metrics.js';
import { handleNotificationSend } from '../handlers/notification-send.js';
import { handleNotificationStatuses } from '../handlers/notification-status.js';
import { startNotificationConsumers } from './notifications.consumer.js';
import { sendClaims, senderDeps } from './sender-wiring.js';

export interface NotificationsWiring {
  kafka: Kafka;
  config: RouterConfig;
  logger: Logger;
  metrics: Metrics;
  redis: Redis;
  graph: GraphApi;
  numbers: NumberDirectory;
  messagingLimit: MessagingLimit;
  publish: Publish;
  /** The notifications' side of the priority limiter. */
  limiter: RateLimiter;
  instanceId: string;
  now: () => Date;
}

/** Notification sends and their statuses: consumers, claims and sender settings in one place. */
export function createNotifications(w: NotificationsWiring) {
  const { config } = w;
  const sender = senderDeps(config, w);
  const claims = sendClaims(config, w.redis, w.instanceId);
  const consumer = (groupId: string) => {
    const created = createReadCommittedConsumer(w.kafka, {
      groupId,
      maxWaitTimeInMs: 1000,
      ...groupTiming(config),
    });
    trackConsumerLag(created, groupId, w.metrics.lag);
    return created;
  };
  const sendConsumer = consumer(config.NOTIFY_SEND_GROUP_ID);
  const statusConsumer = consumer(config.NOTIFY_STATUS_GROUP_ID);
  const common = {
    notifications: createNotificationSendStore(w.redis, config.REDIS_KEY_PREFIX, {
      wamidTtlSeconds: config.WAMID_TTL_SECONDS,
    }),
    publish: w.publish,
    eventsTopic: config.NOTIFICATION_EVENTS_TOPIC,
  };
  return {
    topics: [config.NOTIFICATIONS_SEND_TOPIC, config.NOTIFICATION_EVENTS_TOPIC],
    async start(): Promise<void> {
      const sendDeps = {
        ...common,
        isCancelled: createCancellationLookup(w.redis, config.REDIS_KEY_PREFIX),
        claims,
        inFlight: new Set<string>(),
        neverCalled: new Set<string>(),
        unknownAfterMs: config.SEND_UNKNOWN_AFTER_SECONDS * 1000,
        sender,
        deadLetterTopic: config.DEAD_LETTER_TOPIC,
        messageCostsTopic: config.MESSAGE_COSTS_TOPIC,
        logger: w.logger,
        now: w.now,
      };
      await startNotificationConsumers({
        sendConsumer,
        statusConsumer,
        sendTopic: config.NOTIFICATIONS_SEND_TOPIC,
        webhookTopic: config.WEBHOOK_TOPIC,
        concurrency: config.NOTIFY_SEND_CONCURRENCY,
        handleSend: (record) => handleNotificationSend(record, sendDeps),
        handleStatuses: (events) => handleNotificationStatuses(events, common),
        logger: w.logger,
      });
    },
    async stop(): Promise<void> {
      await Promise.all([sendConsumer.disconnect(), statusConsumer.disconnect()]);
    },
  };
}
