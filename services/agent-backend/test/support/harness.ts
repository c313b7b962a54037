import { randomUUID } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import { testKafkaAuth, testStackEnv } from '@wa-broker/infra/test-env';
import { deleteTestTopics } from '@wa-broker/infra/test-topics';
import type { AgentErrorEvent } from '@wa-broker/shared/agent-errors';
import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';
import type { NumberChangeEvent } from '@wa-broker/shared/business-numbers';
import { createKafka, encodeJson } from '@wa-broker/shared/kafka';
import { createLogger } from '@wa-broker/shared/logger';
import { type TemplateChangeEvent, templateKey } from '@wa-broker/shared/message-templates';
import type { Kafka, Producer } from 'kafkajs';
import { type Db, MongoClient } from 'mongodb';
import { scryptHasher } from '../../src/adapters/password.scrypt.js';
import { type AgentBackend, type AppConfig, buildApp } from '../../src/app.js';

export const operatorToken = 'test-operator-token';
/** The first admin every test database starts with (OPERATOR_ADMIN_EMAIL / _PASSWORD). */
export const admin = { email: 'admin@example.com', password: 'admin password 1' };
/** Cheap scrypt for tests: the cost is stored with each hash, the algorithm is the production one. */
export const testHasher = scryptHasher({ N: 2 ** 10, r: 8, p: 1, keylen: 64 });

export interface Harness {
  kafka: Kafka;
  producer: Producer;
  mongo: MongoClient;
  db: Db;
  config: AppConfig;
  /** Starts a backend instance listening on a free port; stopped by `close`. */
  startInstance(options?: {
    staticDir?: string;
    config?: Partial<AppConfig>;
    /** The backend's clock (the 25 s typing interval, the reply window). */
    now?: () => Date;
  }): Promise<{ backend: AgentBackend; url: string }>;
  /** Stops one instance (a restart: start another on the same database). */
  stopInstance(backend: AgentBackend): Promise<void>;
  produceInbound(event: AgentInboundEvent): Promise<void>;
  produceError(event: AgentErrorEvent): Promise<void>;
  /** As the admin announces them, on this test's compacted topics. */
  produceTemplate(event: TemplateChangeEvent): Promise<void>;
  produceNumber(event: NumberChangeEvent): Promise<void>;
  /** Stops the instances, then deletes the topics and the Mongo database (close readers first). */
  close(): Promise<void>;
}

/** Fresh topics, consumer groups and Mongo database per test file; the real Kafka and MongoDB-wire server. */
export async function createHarness(): Promise<Harness> {
  const env = testStackEnv();
  const id = randomUUID().slice(0, 8);
  const logger = createLogger({ service: 'agent-backend-test', level: 'warn' });
  const kafka = createKafka({
    auth: testKafkaAuth(),
    brokers: env.KAFKA_BROKERS.split(','),
    clientId: `agent-test-${id}`,
    logger,
  });
  const mongo = new MongoClient(env.MONGO_URL, { ignoreUndefined: true, serverSelectionTimeoutMS: 5000 });
  await mongo.connect();
  const db = mongo.db(`agent_test_${id}`);
  const config: AppConfig = {
    AGENT_NAME: 'Agent A',
    OPERATOR_TOKENS: [operatorToken],
    // The older tests speak with the development token; the team tests sign in.
    OPERATOR_DEV_TOKEN_AUTH: true,
    OPERATOR_ADMIN_EMAIL: admin.email,
    OPERATOR_ADMIN_PASSWORD: admin.password,
    OPERATOR_ADMIN_NAME: 'Admin',
    SESSION_TTL_HOURS: 12,
    SESSION_COOKIE_SECURE: false,
    SIGN_IN_MAX_PER_EMAIL: 1000,
    SIGN_IN_MAX_PER_IP: 1000,
    SIGN_IN_WINDOW_MS: 60_000,
    AUTO_ASSIGN: false,
    AUTO_ASSIGN_CAPACITY: 5,
    OFFLINE_RELEASE_AFTER_MS: 0,
    PRESENCE_HEARTBEAT_MS: 1_000,
    ALLOWED_ORIGINS: undefined,
    STATIC_DIR: undefined,
    KAFKA_REPLICATION_FACTOR: 1,
    topics: { in: `t${id}_agent_A-in`, out: `t${id}_agent_A-out`, error: `t${id}_agent_A-error` },
    operatorEventsTopic: `t${id}_agent_A-operator-events`,
    changeTopics: { templateChanges: `t${id}_template-changes`, numberChanges: `t${id}_number-changes` },
    groupPrefix: `agent-test-${id}`,
  };
  const producer = kafka.producer();
  await producer.connect();
  const instances: AgentBackend[] = [];
  let instanceCount = 0;

  return {
    kafka,
    producer,
    mongo,
    db,
    config,
    async startInstance(options = {}) {
      instanceCount += 1;
      const backend = await buildApp({
        config: { ...config, STATIC_DIR: options.staticDir, ...options.config },
        hasher: testHasher,
        ...(options.now ? { now: options.now } : {}),
        logger,
        db,
        kafka,
        instanceId: `i${instanceCount}`,
      });
      instances.push(backend);
      await backend.start();
      const address = await backend.app.listen({ host: '127.0.0.1', port: 0 });
      await eventually(async () => (await backend.app.inject({ url: '/readyz' })).statusCode === 200, {
        timeoutMs: 20_000,
      });
      return { backend, url: address };
    },
    async stopInstance(backend) {
      instances.splice(instances.indexOf(backend), 1);
      await backend.stop();
    },
    async produceInbound(event) {
      await producer.send({
        topic: config.topics.in,
        messages: [{ key: event.waID, value: encodeJson(event) }],
      });
    },
    async produceError(event) {
      await producer.send({
        topic: config.topics.error,
        messages: [{ key: event.waID, value: encodeJson(event) }],
      });
    },
    async produceTemplate(event) {
      await producer.send({
        topic: config.changeTopics.templateChanges,
        messages: [{ key: templateKey(event.template), value: encodeJson(event) }],
      });
    },
    async produceNumber(event) {
      await producer.send({
        topic: config.changeTopics.numberChanges,
        messages: [{ key: event.number.phone_number_id, value: encodeJson(event) }],
      });
    },
    async close() {
      await Promise.all(instances.map((instance) => instance.stop()));
      await producer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      await deleteTestTopics(admin, [
        ...Object.values(config.topics),
        config.operatorEventsTopic,
        ...Object.values(config.changeTopics),
      ]).finally(() => admin.disconnect());
      await db.dropDatabase().catch(() => undefined);
      await mongo.close();
    },
  };
}
