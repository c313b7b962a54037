import {
  createKafka,
  createReadCommittedConsumer,
  ensureTopics,
  kafkaConnection,
} from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { createCancelMarks } from './adapters/cancel-marks.redis.js';
import { createConversationLog } from './adapters/conversation-log.postgres.js';
import { createNotificationBus } from './adapters/notification-bus.kafka.js';
import { createNotificationStore } from './adapters/notification-store.postgres.js';
import { followNotificationTemplates } from './adapters/template-catalog.kafka.js';
import { buildApp } from './app.js';
import type { NotifyConfig } from './config.js';
import { startEventsConsumer } from './consumers/notification-events.consumer.js';
import { startConversationLog } from './conversation-log-wiring.js';
import { createDatabase, createPool, migrateDatabase } from './db/client.js';
import { startDispatchLoop } from './dispatch-loop.js';
import { fromNotificationEvent } from './domain/conversation-event.js';
import { createNotificationService, type NotificationService } from './domain/notification-service.js';

export interface Notify {
  app: FastifyInstance;
  service: NotificationService;
}

/**
 * Migrates, creates the topics, starts the dispatcher and the events consumer, then builds the app. Each client
 * is closed by the app's onClose, beside its creation, in reverse order.
 */
export async function startNotify(config: NotifyConfig, logger: Logger): Promise<Notify> {
  const database = { url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA };
  await migrateDatabase(database);
  const pool = createPool(database);
  const closers: Array<() => Promise<void>> = [() => pool.end()];
  try {
    const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
    await redis.connect();
    closers.unshift(async () => void (await redis.quit()));
    const kafka = createKafka({ ...kafkaConnection(config), clientId: config.KAFKA_CLIENT_ID, logger });
    const admin = kafka.admin();
    await admin.connect();
    closers.unshift(() => admin.disconnect());
    await ensureTopics(
      admin,
      [config.NOTIFICATIONS_SEND_TOPIC, config.NOTIFICATION_EVENTS_TOPIC].map((topic) => ({
        topic,
        numPartitions: config.KAFKA_PARTITIONS,
      })),
      { replicationFactor: config.KAFKA_REPLICATION_FACTOR },
    );
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    closers.unshift(() => producer.disconnect());

    const catalog = await followNotificationTemplates({
      kafka,
      admin,
      topic: config.TEMPLATE_CHANGES_TOPIC,
      wabaId: config.NOTIFICATIONS_WABA_ID,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
      logger,
    });
    closers.unshift(() => catalog.stop());
    const loop: { nudge: () => void } = { nudge: () => undefined };
    const service = createNotificationService({
      store: createNotificationStore(createDatabase(pool)),
      bus: createNotificationBus(producer, {
        send: config.NOTIFICATIONS_SEND_TOPIC,
        events: config.NOTIFICATION_EVENTS_TOPIC,
      }),
      cancelMarks: createCancelMarks(redis, config.REDIS_KEY_PREFIX),
      now: () => new Date(),
      nudge: () => loop.nudge(),
      templates: catalog.templates,
    });
    const dispatcher = startDispatchLoop({
      dispatch: () => service.dispatch(config.DISPATCH_BATCH_SIZE),
      intervalMs: config.DISPATCH_INTERVAL_MS,
      logger,
    });
    loop.nudge = dispatcher.nudge;
    closers.unshift(() => dispatcher.stop());
    const conversationLog = createConversationLog(createDatabase(pool));
    const consumer = createReadCommittedConsumer(kafka, {
      groupId: config.EVENTS_GROUP_ID,
      maxWaitTimeInMs: 1000,
    });
    await startEventsConsumer({
      consumer,
      topic: config.NOTIFICATION_EVENTS_TOPIC,
      apply: async (events) => {
        const applied = await service.applyEvents(events);
        // The template itself goes into the call-event log; its statuses come from the webhook topic.
        const topic = config.NOTIFICATION_EVENTS_TOPIC;
        await conversationLog.append(events.flatMap((e) => fromNotificationEvent(e, topic) ?? []));
        return applied;
      },
      logger,
    });
    closers.unshift(() => consumer.disconnect());
    const conversations = await startConversationLog({
      kafka,
      admin,
      config,
      log: conversationLog,
      logger,
    });
    closers.unshift(() => conversations.stop());

    const app = await buildApp({
      logger,
      service,
      conversations: { log: conversationLog, agents: conversations.directory },
      apiKeys: config.NOTIFY_API_KEYS,
      maxRecipients: config.MAX_RECIPIENTS,
      isReady: () =>
        pool.query('select 1').then(
          () => redis.status === 'ready',
          () => false,
        ),
    });
    app.addHook('onClose', async () => {
      for (const close of closers) await close();
    });
    return { app, service };
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}
