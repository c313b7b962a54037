import { type Agent, type AgentTopics, agentTopics, createAgent } from '@wa-broker/agent-sdk';
import {
  createKafka,
  createReadCommittedConsumer,
  ensureTopics,
  type KafkaAuth,
  kafkaConnection,
} from '@wa-broker/shared/kafka';
import { agentCommandsTopic, agentGroupPrefix } from '@wa-broker/shared/kafka-access';
import type { Logger } from '@wa-broker/shared/logger';
import { agentSlug } from '@wa-broker/shared/topics';
import type { Kafka } from 'kafkajs';
import { findOrCreateAgent, rotateKafkaCredential } from './adapters/admin-registration.http.js';
import { httpBackendApi } from './adapters/backend-api.http.js';
import { commandQueue, runCommandConsumer } from './adapters/command-queue.kafka.js';
import type { BotConfig } from './config.js';
import { commandWorker } from './consumers/command-worker.js';
import { registerUserMessages } from './consumers/user-messages.js';
import type { BackendApi } from './domain/ports.js';

export interface BotDeps {
  config: BotConfig;
  logger: Logger;
  /** Tests pass a client id per instance; default from KAFKA_CLIENT_ID. */
  kafka?: Kafka;
  api?: BackendApi;
  now?: () => Date;
}

export interface Bot {
  agent: Agent;
  name: string;
  commandTopic: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  isReady(): boolean;
}

/**
 * The admin may still be starting (`pnpm dev` starts everything at once): retry for about a minute while it
 * is unreachable or answers 5xx, then give up with the last error.
 */
async function retryWhileAdminStarts<T>(
  attempt: () => Promise<T>,
  logger: Logger,
  deadlineMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (let wait = 250; ; wait = Math.min(wait * 2, 4000)) {
    try {
      return await attempt();
    } catch (error) {
      const transient = error instanceof TypeError || /HTTP 5\d\d/.test(String(error));
      if (!transient || Date.now() + wait > deadline) throw error;
      logger.warn({ err: error, retry_in_ms: wait }, 'admin not reachable yet, retrying');
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * Where the bot's topics and Kafka credential come from: the admin's record when configured, else the
 * configuration. The credential is KAFKA_USERNAME/KAFKA_PASSWORD when set (give every instance the one the
 * admin issued); without them a bot registered through the admin takes the credential issued when it created
 * the agent, or has it rotated when the agent already existed — one instance only, since rotating ends the
 * previous secret (README "Kafka access").
 */
async function resolveAgent(
  config: BotConfig,
  logger: Logger,
): Promise<{ name: string; topics: AgentTopics; auth?: KafkaAuth }> {
  const configured = kafkaConnection(config).auth;
  if (config.ADMIN_URL && config.ADMIN_API_KEY) {
    const settings = { baseUrl: config.ADMIN_URL, apiKey: config.ADMIN_API_KEY };
    const input = { name: config.BOT_AGENT_NAME, description: config.BOT_AGENT_DESCRIPTION };
    const { record, kafka } = await retryWhileAdminStarts(() => findOrCreateAgent(settings, input), logger);
    logger.info({ agent_id: record.id, agent: record.name }, 'agent registered with the admin');
    const topics = { in: record.read_topic, out: record.write_topic, error: record.error_topic };
    const issued =
      configured || kafka
        ? kafka
        : await retryWhileAdminStarts(() => rotateKafkaCredential(settings, record.id), logger);
    const auth =
      configured ??
      (issued
        ? { mechanism: 'scram-sha-512' as const, username: issued.username, password: issued.password }
        : undefined);
    return { name: record.name, topics, ...(auth ? { auth } : {}) };
  }
  const explicit = { in: config.BOT_IN_TOPIC, out: config.BOT_OUT_TOPIC, error: config.BOT_ERROR_TOPIC };
  const defined = Object.fromEntries(Object.entries(explicit).filter(([, topic]) => topic !== undefined));
  return {
    name: config.BOT_AGENT_NAME,
    topics: agentTopics(config.BOT_AGENT_NAME, defined),
    ...(configured ? { auth: configured } : {}),
  };
}

/** Wires the bot: registration, the SDK agent on `-in`, the signed command queue and its worker. */
export async function buildBot(deps: BotDeps): Promise<Bot> {
  const { config, logger } = deps;
  const { name, topics, auth } = await resolveAgent(config, logger);
  const commandTopic = config.COMMAND_TOPIC ?? agentCommandsTopic(agentSlug(name));
  const kafka =
    deps.kafka ??
    createKafka({
      brokers: config.KAFKA_BROKERS,
      ...(auth ? { auth } : {}),
      clientId: config.KAFKA_CLIENT_ID ?? 'wa-bot-agent',
      logger,
    });
  const replication = {
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    partitions: config.KAFKA_PARTITIONS,
  };
  const agent = createAgent({
    agent: name,
    brokers: config.KAFKA_BROKERS,
    topics,
    kafka,
    logger,
    groupId: config.BOT_GROUP_ID ?? `${agentGroupPrefix(agentSlug(name))}bot`,
    createTopics: replication,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const admin = kafka.admin();
  // read_committed like every consumer (the SDK's too): no record of an aborted transaction is ever run.
  const worker = createReadCommittedConsumer(kafka, {
    groupId: config.COMMAND_GROUP_ID ?? `${agentGroupPrefix(agentSlug(name))}commands`,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  const secret = config.COMMAND_TOKEN_SECRET;
  const now = deps.now ?? (() => new Date());
  registerUserMessages(agent, {
    enqueue: commandQueue(producer, commandTopic),
    secret,
    tokenTtlMs: config.COMMAND_TOKEN_TTL_SECONDS * 1000,
    now,
  });
  const api =
    deps.api ?? httpBackendApi({ baseUrl: config.BACKEND_API_URL, timeoutMs: config.BACKEND_API_TIMEOUT_MS });
  const handleJob = commandWorker({
    agent,
    api,
    secret,
    logger: logger.child({ component: 'command-worker' }),
    now,
  });
  let ready = false;

  return {
    agent,
    name,
    commandTopic,
    isReady: () => ready,
    async start() {
      await Promise.all([producer.connect(), admin.connect()]);
      await ensureTopics(admin, [{ topic: commandTopic }], {
        replicationFactor: replication.replicationFactor,
        defaultPartitions: replication.partitions,
      });
      await admin.disconnect();
      // The agent first: the worker answers through its producer.
      await agent.start();
      const joined = new Promise<void>((resolve) => {
        const remove = worker.on(worker.events.GROUP_JOIN, () => {
          remove();
          resolve();
        });
      });
      await runCommandConsumer(worker, commandTopic, handleJob);
      await joined;
      ready = true;
      logger.info({ topics, commandTopic }, 'bot started');
    },
    async stop() {
      ready = false;
      // The worker first (its job in hand still replies through the agent), then the agent (its handler in
      // hand may still queue a job), then the queue's producer.
      await worker.disconnect();
      await agent.stop();
      await producer.disconnect();
    },
  };
}
