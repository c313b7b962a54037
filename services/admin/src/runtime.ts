import { sealToken } from '@wa-broker/shared/business-numbers';
import {
  createKafka,
  createReadCommittedConsumer,
  credentialProbe,
  ensureTopics,
  kafkaConnection,
} from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { createKafkaAgentAccess } from './adapters/agent-access.kafka.js';
import {
  createAgentChangePublisher,
  createTopicProvisioner,
  ensureChangesTopic,
} from './adapters/agent-changes.kafka.js';
import { createAgentStore } from './adapters/agent-store.postgres.js';
import { createCostStore } from './adapters/cost-store.postgres.js';
import { createGraphTemplatesClient } from './adapters/graph-templates.client.js';
import { createGraphUploadsClient } from './adapters/graph-uploads.client.js';
import { createNumberChangePublisher } from './adapters/number-changes.kafka.js';
import { createNumberStore } from './adapters/number-store.postgres.js';
import { createTemplateChangePublisher } from './adapters/template-changes.kafka.js';
import { createTemplateStore } from './adapters/template-store.postgres.js';
import { createWabaTokens } from './adapters/waba-tokens.js';
import { buildApp } from './app.js';
import type { AdminConfig } from './config.js';
import { startMessageCosts } from './consumers/message-costs.js';
import { startTemplateWebhooks } from './consumers/template-webhooks.js';
import { createDatabase, createPool, migrateDatabase } from './db/client.js';
import { type AgentService, createAgentService } from './domain/agent-service.js';
import { type CostService, createCostService } from './domain/cost-service.js';
import { createNumberService, type NumberService } from './domain/number-service.js';
import { createTemplateService, type TemplateService } from './domain/template-service.js';
import { createMetrics } from './plugins/metrics.js';
import { startResyncLoop, startTemplateSyncLoop } from './resync-loop.js';

export interface Admin {
  app: FastifyInstance;
  agents: AgentService;
  numbers: NumberService;
  templates: TemplateService;
  costs: CostService;
}

export interface AdminEnvironment {
  /** Where a number's `token_secret` is read (the process environment in main.ts). */
  secrets: Readonly<Record<string, string | undefined>>;
  /** Off in tests that drive syncs themselves; on by default. */
  syncTemplatesOnSchedule?: boolean;
}

/**
 * Creates every client, migrates, converges Kafka with PostgreSQL (topics of active agents, every agent's state
 * on the agent-changes topic, every number's on the number-changes topic), then builds the app. Each client is
 * closed by the app's onClose, beside its creation.
 */
export async function startAdmin(
  config: AdminConfig,
  logger: Logger,
  environment: AdminEnvironment = { secrets: {} },
): Promise<Admin> {
  const database = { url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA };
  await migrateDatabase(database);
  const pool = createPool(database);
  const closers: Array<() => Promise<void>> = [() => pool.end()];
  try {
    const kafka = createKafka({
      ...kafkaConnection(config),
      clientId: config.KAFKA_CLIENT_ID,
      logger,
      retry: { initialRetryTime: 200, retries: config.KAFKA_RETRIES },
    });
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    closers.unshift(() => kafkaAdmin.disconnect());
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    closers.unshift(() => producer.disconnect());
    await ensureChangesTopic(kafkaAdmin, config.AGENT_CHANGES_TOPIC, config.KAFKA_REPLICATION_FACTOR);
    await ensureChangesTopic(kafkaAdmin, config.NUMBER_CHANGES_TOPIC, config.KAFKA_REPLICATION_FACTOR);
    await ensureChangesTopic(kafkaAdmin, config.TEMPLATE_CHANGES_TOPIC, config.KAFKA_REPLICATION_FACTOR);
    // The webhook service's topic; created here too (same partitions as the webhook's default) so either may start first.
    await ensureTopics(kafkaAdmin, [{ topic: config.BUSINESS_EVENTS_TOPIC, numPartitions: 6 }], {
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    });
    // The router's topic (its KAFKA_PARTITIONS default): created here too so either may start first.
    await ensureTopics(kafkaAdmin, [{ topic: config.MESSAGE_COSTS_TOPIC, numPartitions: 3 }], {
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    });

    const metrics = createMetrics(new Registry());
    const db = createDatabase(pool);
    const numberStore = createNumberStore(db);
    const resync = { pending: false };
    const agents = createAgentService({
      store: createAgentStore(db),
      topics: createTopicProvisioner(kafkaAdmin, {
        replicationFactor: config.KAFKA_REPLICATION_FACTOR,
        partitions: config.AGENT_TOPIC_PARTITIONS,
      }),
      publisher: createAgentChangePublisher(producer, config.AGENT_CHANGES_TOPIC),
      ...(config.AGENT_KAFKA_ACCESS
        ? {
            access: createKafkaAgentAccess(
              kafkaAdmin,
              {
                serving: {
                  router: config.KAFKA_ROUTER_USERNAME,
                  media: config.KAFKA_MEDIA_USERNAME,
                  notify: config.KAFKA_NOTIFY_USERNAME,
                },
                catalogTopics: [config.TEMPLATE_CHANGES_TOPIC, config.NUMBER_CHANGES_TOPIC],
                usernamePrefix: config.KAFKA_AGENT_USERNAME_PREFIX,
              },
              credentialProbe(logger, kafkaConnection(config).auth?.tls),
            ),
          }
        : {}),
      now: () => new Date(),
      onPublishFailed: (error, agent) => {
        resync.pending = true;
        metrics.changePublishFailures.inc();
        logger.error({ err: error, agent: agent.id }, 'agent change not published');
      },
    });
    const numberResync = { pending: false };
    // Set once the template service exists: a number saved brings its WABA's templates without waiting a round.
    const numberSaved: { sync: (wabaId: string) => void } = { sync: () => undefined };
    const numbers = createNumberService({
      store: numberStore,
      publisher: createNumberChangePublisher(producer, config.NUMBER_CHANGES_TOPIC),
      seal: (plain) => sealToken(config.NUMBER_TOKEN_KEY, plain),
      now: () => new Date(),
      onPublishFailed: (error, number) => {
        numberResync.pending = true;
        metrics.numberChangePublishFailures.inc();
        logger.error({ err: error, phone_number_id: number.phoneNumberId }, 'number change not published');
      },
      onSaved: (number) => {
        if (number.active) numberSaved.sync(number.wabaId);
      },
    });
    const templateResync = { pending: false };
    const templates = createTemplateService({
      store: createTemplateStore(db),
      publisher: createTemplateChangePublisher(producer, config.TEMPLATE_CHANGES_TOPIC),
      graph: createGraphTemplatesClient({
        baseUrl: config.GRAPH_API_BASE_URL,
        version: config.GRAPH_API_VERSION,
        timeoutMs: config.GRAPH_TIMEOUT_MS,
      }),
      uploads: createGraphUploadsClient({
        baseUrl: config.GRAPH_API_BASE_URL,
        version: config.GRAPH_API_VERSION,
        timeoutMs: config.GRAPH_TIMEOUT_MS,
        appId: config.META_APP_ID,
      }),
      tokens: createWabaTokens({
        numbers: numberStore,
        tokenKey: config.NUMBER_TOKEN_KEY,
        secrets: environment.secrets,
        logger,
      }),
      now: () => new Date(),
      onPublishFailed: (error, changed) => {
        templateResync.pending = true;
        metrics.templateChangePublishFailures.inc();
        logger.error(
          { err: error, templates: changed.map((t) => `${t.waba_id}:${t.name}:${t.language}`) },
          'template change not published',
        );
      },
      onProblem: (problem, details) => {
        if ('waba_id' in details && !('field' in details)) metrics.templateSyncFailures.inc();
        logger.warn(details, problem);
      },
    });
    numberSaved.sync = (wabaId) =>
      void templates.syncWaba(wabaId).catch((error: unknown) => {
        logger.warn({ err: error, waba_id: wabaId }, 'templates of a saved number not synced: next round');
      });
    if (config.GRAPH_PHONE_NUMBER_ID && config.GRAPH_WABA_ID) {
      const registered = await numbers.registerIfAbsent({
        phoneNumberId: config.GRAPH_PHONE_NUMBER_ID,
        wabaId: config.GRAPH_WABA_ID,
        displayPhoneNumber: config.GRAPH_PHONE_NUMBER_ID,
        name: 'The deployment’s number',
        token: { secretName: 'GRAPH_API_TOKEN' },
      });
      if (registered)
        logger.info({ phone_number_id: registered.phoneNumberId }, 'deployment number registered');
    }
    const count = await agents.republishAll();
    logger.info({ agents: count, topic: config.AGENT_CHANGES_TOPIC }, 'agent states republished');
    const numberCount = await numbers.republishAll();
    logger.info({ numbers: numberCount, topic: config.NUMBER_CHANGES_TOPIC }, 'number states republished');
    for (const loop of [
      { kind: 'agent', republishAll: agents.republishAll, resync },
      { kind: 'number', republishAll: numbers.republishAll, resync: numberResync },
      { kind: 'template', republishAll: templates.republishAll, resync: templateResync },
    ]) {
      const stopResync = startResyncLoop({ ...loop, intervalMs: config.AGENT_RESYNC_INTERVAL_MS, logger });
      closers.unshift(async () => stopResync());
    }
    const templateCount = await templates.republishAll();
    logger.info(
      { templates: templateCount, topic: config.TEMPLATE_CHANGES_TOPIC },
      'template states republished',
    );

    const consumer = createReadCommittedConsumer(kafka, { groupId: config.TEMPLATE_EVENTS_GROUP_ID });
    await consumer.connect();
    closers.unshift(() => consumer.disconnect());
    // Both groups join at once (each join takes a rebalance round).
    const webhooksJoined = startTemplateWebhooks({
      consumer,
      topic: config.BUSINESS_EVENTS_TOPIC,
      templates,
      logger,
    });
    // Awaited below; until then a failure must not count as unhandled (it fails the start there).
    webhooksJoined.catch(() => undefined);
    if (environment.syncTemplatesOnSchedule !== false) {
      const stopSync = startTemplateSyncLoop({
        syncAll: templates.syncAll,
        intervalMs: config.TEMPLATE_SYNC_INTERVAL_MS,
        logger,
      });
      closers.unshift(async () => stopSync());
    }

    const costs = createCostService({
      store: createCostStore(db),
      now: () => new Date(),
      onCounted: ({ sent, billable }) => {
        if (sent) metrics.messagesSent.inc(sent);
        if (billable) metrics.messagesBillable.inc(billable);
      },
    });
    const costConsumer = createReadCommittedConsumer(kafka, { groupId: config.MESSAGE_COSTS_GROUP_ID });
    await costConsumer.connect();
    closers.unshift(() => costConsumer.disconnect());
    await Promise.all([
      webhooksJoined,
      startMessageCosts({ consumer: costConsumer, topic: config.MESSAGE_COSTS_TOPIC, costs, logger }),
    ]);

    const app = await buildApp({
      logger,
      agents,
      numbers,
      templates,
      costs,
      apiKeys: config.ADMIN_API_KEYS,
      rateLimit: { max: config.RATE_LIMIT_MAX, windowMs: config.RATE_LIMIT_WINDOW_MS },
      metrics: metrics.registry,
      isDatabaseReachable: () =>
        pool.query('select 1').then(
          () => true,
          () => false,
        ),
    });
    // After the HTTP server stopped taking requests: stop the resync, the producer, the admin, then the pool.
    app.addHook('onClose', async () => {
      for (const close of closers) await close();
    });
    return { app, agents, numbers, templates, costs };
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}
