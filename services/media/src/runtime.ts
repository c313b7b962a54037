import { healthRoutes } from '@wa-broker/service-kit/health-routes';
import { followAgentChanges, followNumberChanges } from '@wa-broker/shared/agent-changes-follower';
import { createIdempotentProducer } from '@wa-broker/shared/idempotent-producer';
import {
  createKafka,
  createReadCommittedConsumer,
  ensureTopics,
  kafkaConnection,
} from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import { createTopicSetConsumer } from '@wa-broker/shared/topic-set-consumer';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Registry } from 'prom-client';
import { createKafkaAgentErrors } from './adapters/agent-errors.kafka.js';
import { createKafkaAgentEvents } from './adapters/agent-events.kafka.js';
import { AgentTopics } from './adapters/agent-topics.js';
import { createGraphMediaClient } from './adapters/graph-media.client.js';
import { NumberTokenRegistry } from './adapters/number-tokens.js';
import { createS3Client, createS3MediaStore, ensureBucket } from './adapters/s3-store.js';
import type { MediaConfig } from './config.js';
import { startInboundMediaConsumer } from './consumers/inbound-media.consumer.js';
import type { Clock } from './domain/ports.js';
import { storeInboundMedia } from './handlers/store-inbound-media.js';
import { startRetentionSweep } from './retention-sweep.js';
import { mediaRoutes } from './routes/media-routes.js';

const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Connects S3 and Kafka, learns every agent and number, starts the inbound media consumer and builds the HTTP
 * app. Every client is closed by the app's onClose, in reverse order of creation.
 */
export async function startMedia(
  config: MediaConfig,
  logger: Logger,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<FastifyInstance> {
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers) await close().catch((err: unknown) => logger.error({ err }, 'close failed'));
  };
  let ready = false;
  try {
    const s3 = createS3Client({
      ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
      region: config.S3_REGION,
      bucket: config.S3_BUCKET,
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
    });
    closers.unshift(async () => s3.destroy());
    if (config.S3_CREATE_BUCKET) await ensureBucket(s3, config.S3_BUCKET);
    const store = createS3MediaStore(s3, config.S3_BUCKET);

    const kafka = createKafka({ ...kafkaConnection(config), clientId: config.KAFKA_CLIENT_ID, logger });
    const admin = kafka.admin();
    await admin.connect();
    closers.unshift(() => admin.disconnect());
    const producer = createIdempotentProducer(kafka, { allowAutoTopicCreation: false }, logger);
    await producer.connect();
    closers.unshift(() => producer.disconnect());

    const tokens = new NumberTokenRegistry({
      defaultNumber: { phoneNumberId: config.GRAPH_PHONE_NUMBER_ID, token: config.GRAPH_API_TOKEN },
      tokenKey: config.NUMBER_TOKEN_KEY,
      secrets: env,
      logger,
    });
    const agents = new AgentTopics();
    const compacted = [config.AGENT_CHANGES_TOPIC, config.NUMBER_CHANGES_TOPIC].map((topic) => ({
      topic,
      configs: { 'cleanup.policy': 'compact' },
    }));
    await ensureTopics(admin, compacted, { replicationFactor: config.KAFKA_REPLICATION_FACTOR });
    const follower = (name: string) =>
      createReadCommittedConsumer(kafka, {
        groupId: `${config.MEDIA_GROUP_ID}-${name}-${crypto.randomUUID()}`,
        maxWaitTimeInMs: 1000,
      });
    const numbersConsumer = follower('numbers');
    closers.unshift(() => numbersConsumer.disconnect());
    await followNumberChanges({
      consumer: numbersConsumer,
      admin,
      topic: config.NUMBER_CHANGES_TOPIC,
      logger,
      apply: (number) => tokens.apply(number),
      remove: (key) => tokens.remove(key),
    });
    const agentsConsumer = follower('agents');
    closers.unshift(() => agentsConsumer.disconnect());
    await followAgentChanges({
      consumer: agentsConsumer,
      admin,
      topic: config.AGENT_CHANGES_TOPIC,
      apply: (agent) => agents.apply(agent),
      logger,
    });

    const metrics = new Registry();
    collectDefaultMetrics({ register: metrics });
    const files = new Counter({
      name: 'media_inbound_files_total',
      help: 'User files handled, by outcome',
      labelNames: ['outcome'],
      registers: [metrics],
    });
    const uploads = new Counter({
      name: 'media_uploads_bytes_total',
      help: 'Bytes agents uploaded and sent to the Graph API',
      registers: [metrics],
    });

    const graph = createGraphMediaClient({
      baseUrl: config.GRAPH_API_BASE_URL,
      version: config.GRAPH_API_VERSION,
      timeoutMs: config.GRAPH_TIMEOUT_MS,
    });
    const storeDeps = {
      store,
      graph,
      tokens,
      agentErrors: createKafkaAgentErrors(producer, systemClock),
      agentEvents: createKafkaAgentEvents(producer),
      clock: systemClock,
      logger,
      settings: {
        attempts: config.MEDIA_FETCH_ATTEMPTS,
        backoffBaseMs: config.MEDIA_BACKOFF_BASE_MS,
        backoffMaxMs: config.MEDIA_BACKOFF_MAX_MS,
        maxBytes: config.MEDIA_MAX_INBOUND_BYTES,
      },
    };
    const supervisor = createTopicSetConsumer({
      name: 'inbound-media',
      topics: () => agents.inTopics(),
      prepare: (topics) =>
        ensureTopics(
          admin,
          topics.map((topic) => ({ topic, numPartitions: config.KAFKA_PARTITIONS })),
          {
            replicationFactor: config.KAFKA_REPLICATION_FACTOR,
          },
        ),
      createConsumer: () =>
        createReadCommittedConsumer(kafka, {
          groupId: config.MEDIA_GROUP_ID,
          maxWaitTimeInMs: 500,
          // A killed instance's partitions move after this; kafkajs' default is 30 s.
          sessionTimeout: config.KAFKA_SESSION_TIMEOUT_MS,
          heartbeatInterval: Math.min(3000, Math.floor(config.KAFKA_SESSION_TIMEOUT_MS / 3)),
        }),
      start: (consumer, topics) =>
        startInboundMediaConsumer(consumer, topics, {
          agents,
          defaultNumberId: tokens.defaultNumberId,
          concurrency: config.MEDIA_CONCURRENCY,
          store: (job) => storeInboundMedia(job, storeDeps),
          onOutcome: (outcome) => files.inc({ outcome }),
          logger,
        }),
      logger,
    });
    agents.onTopicsChange(() => void supervisor.refresh());
    await supervisor.refresh();
    closers.unshift(() => supervisor.stop());
    if (config.MEDIA_RETENTION_DAYS > 0) {
      const sweep = startRetentionSweep({
        store,
        days: config.MEDIA_RETENTION_DAYS,
        clock: systemClock,
        logger,
      });
      closers.unshift(async () => sweep.stop());
    }

    const loggerInstance: FastifyBaseLogger = logger;
    const app = Fastify({ loggerInstance });
    app.addHook('onClose', closeAll);
    await app.register(healthRoutes({ isReady: () => ready, metrics }));
    await app.register(
      mediaRoutes({
        store,
        graph,
        tokens,
        clock: systemClock,
        signingKey: config.MEDIA_SIGNING_KEY,
        maxUploadBytes: config.MEDIA_MAX_UPLOAD_BYTES,
        waitMaxMs: config.MEDIA_WAIT_MAX_MS,
        onUploaded: (bytes) => uploads.inc(bytes),
        logger,
      }),
    );
    ready = true;
    return app;
  } catch (error) {
    await closeAll();
    throw error;
  }
}
