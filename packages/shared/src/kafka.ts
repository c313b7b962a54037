import { readFileSync } from 'node:fs';
import {
  type Admin,
  type Consumer,
  type ConsumerConfig,
  type ITopicConfig,
  Kafka,
  type KafkaConfig,
  type KafkaMessage,
  type LogEntry,
  logLevel,
  type SASLOptions,
} from 'kafkajs';
import type { KafkaEnv } from './config.js';
import { ConfigError } from './errors.js';
import type { Logger } from './logger.js';

/** Who this process is on the bus (SASL) and whether the connection is encrypted. */
export interface KafkaAuth {
  mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain';
  username: string;
  password: string;
  /** TLS to the brokers; `ca`: PEM text of the brokers' CA when it is not a public one. */
  tls?: { ca?: string };
}

export interface KafkaSettings {
  brokers: readonly string[];
  clientId: string;
  /** Omitted: an unauthenticated client (refused by every cluster the project runs, see README "Kafka access"). */
  auth?: KafkaAuth;
  logger: Logger;
  /** Connection and request retries; tests shorten these. */
  retry?: KafkaConfig['retry'];
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

const pinoLevelByKafkaLevel: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client whose own log lines go through our pino logger (one JSON line each). */
export function createKafka(settings: KafkaSettings): Kafka {
  const kafkaLogger = settings.logger.child({ component: 'kafkajs' });
  const { auth } = settings;
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    ...(auth
      ? {
          sasl: {
            mechanism: auth.mechanism,
            username: auth.username,
            password: auth.password,
          } as SASLOptions,
          ssl: auth.tls ? (auth.tls.ca ? { ca: [auth.tls.ca] } : true) : false,
        }
      : {}),
    connectionTimeout: settings.connectionTimeoutMs ?? 3000,
    requestTimeout: settings.requestTimeoutMs ?? 30000,
    retry: settings.retry ?? { initialRetryTime: 200, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
        kafkaLogger[pinoLevelByKafkaLevel[level] ?? 'info']({ namespace, ...fields }, message);
      },
  });
}

/**
 * The brokers and this process's credentials from its validated config (`kafkaEnv`); read once at boot.
 * Username and password come together or not at all.
 */
export function kafkaConnection(
  config: Pick<
    KafkaEnv,
    | 'KAFKA_BROKERS'
    | 'KAFKA_USERNAME'
    | 'KAFKA_PASSWORD'
    | 'KAFKA_SASL_MECHANISM'
    | 'KAFKA_TLS'
    | 'KAFKA_TLS_CA_FILE'
  >,
): Pick<KafkaSettings, 'brokers' | 'auth'> {
  const { KAFKA_USERNAME: username, KAFKA_PASSWORD: password } = config;
  if ((username === undefined) !== (password === undefined))
    throw new ConfigError([
      `${username === undefined ? 'KAFKA_USERNAME' : 'KAFKA_PASSWORD'}: is required with ${username === undefined ? 'KAFKA_PASSWORD' : 'KAFKA_USERNAME'}`,
    ]);
  if (username === undefined || password === undefined) return { brokers: config.KAFKA_BROKERS };
  const tls = config.KAFKA_TLS
    ? { ...(config.KAFKA_TLS_CA_FILE ? { ca: readFileSync(config.KAFKA_TLS_CA_FILE, 'utf8') } : {}) }
    : undefined;
  return {
    brokers: config.KAFKA_BROKERS,
    auth: { mechanism: config.KAFKA_SASL_MECHANISM, username, password, ...(tls ? { tls } : {}) },
  };
}

/** A consumer's settings; the isolation level is not one of them (see `createReadCommittedConsumer`). */
export type ConsumerSettings = Omit<ConsumerConfig, 'readUncommitted'>;

/**
 * A consumer reading with isolation `read_committed`: it never gets a record of an aborted transaction, and
 * stops at a still open one until it is committed. The router writes `<agent>-in`, `<agent>-error` and
 * `router-out` in transactions (consume → produce → offsets, exactly once), so a batch a crashed router had
 * started is aborted and redone, and only the redone copy may reach a reader. kafkajs' default is the same, but
 * every service creates its consumers here so the choice is made in one place and no caller can turn it off.
 *
 * An idle fetch waits at most {@link idleFetchWaitMs} (kafkajs: 5 s) unless the caller says otherwise: a record
 * still arrives at once, but disconnect() waits for the fetch in flight, and 5 s per consumer made every
 * service's shutdown (and every test that stops one) seconds slower.
 */
export function createReadCommittedConsumer(kafka: Kafka, settings: ConsumerSettings): Consumer {
  return kafka.consumer({ maxWaitTimeInMs: idleFetchWaitMs, ...settings, readUncommitted: false });
}

/** How long an idle fetch waits for records before the broker answers empty (see createReadCommittedConsumer). */
export const idleFetchWaitMs = 500;

export interface TopicSpec {
  topic: string;
  numPartitions?: number;
  /** Extra topic configs, e.g. `{ 'cleanup.policy': 'compact' }`. */
  configs?: Record<string, string>;
}

export interface EnsureTopicsOptions {
  replicationFactor: number;
  /** Partitions for topics that do not say; per-user ordering needs keys, not a single partition. */
  defaultPartitions?: number;
  timeoutMs?: number;
}

/**
 * Creates the topics that do not exist yet and waits until every partition has a leader.
 * kafkajs cannot subscribe to a missing topic on KRaft (tulios/kafkajs#1563), so services create their
 * topics up front instead of relying on auto-creation. Safe to call concurrently and repeatedly.
 */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
  options: EnsureTopicsOptions,
): Promise<void> {
  if (specs.length === 0) return;
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.topic));
  if (missing.length > 0) {
    const topics: ITopicConfig[] = missing.map((spec) => ({
      topic: spec.topic,
      numPartitions: spec.numPartitions ?? options.defaultPartitions ?? 3,
      replicationFactor: options.replicationFactor,
      configEntries: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
    }));
    try {
      // kafkajs's own leader wait fails on a cluster while metadata spreads ("does not host this
      // topic-partition"); waitForLeaders below retries until every node knows the topic.
      await admin.createTopics({ topics, waitForLeaders: false, timeout: options.timeoutMs ?? 15000 });
    } catch (error) {
      // Another process may have created the same topic between listTopics and createTopics.
      if (!isTopicExistsError(error)) throw error;
    }
  }
  await waitForLeaders(
    admin,
    specs.map((spec) => spec.topic),
    options.timeoutMs ?? 15000,
  );
}

function isTopicExistsError(error: unknown): boolean {
  const text = JSON.stringify(error, Object.getOwnPropertyNames(error ?? {}));
  return text.includes('TOPIC_ALREADY_EXISTS') || text.includes('already exists');
}

async function waitForLeaders(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      const ready = metadata.every((topic) => topic.partitions.every((partition) => partition.leader >= 0));
      if (ready) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline)
      throw new Error(`topics have no leader after ${timeoutMs} ms: ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Encodes a value as UTF-8 JSON for a Kafka message value. */
export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** Decodes a Kafka message value; `undefined` for an empty value or invalid JSON (the caller parks it). */
export function decodeJson(value: Buffer | null | undefined): unknown {
  if (!value || value.length === 0) return undefined;
  try {
    return JSON.parse(value.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * A fetched batch's values that `schema` reads, in order; each record it cannot read (no JSON, wrong shape) goes
 * to `unreadable` (to log: it is skipped).
 */
export function readableValues<T>(
  messages: readonly KafkaMessage[],
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  unreadable: (message: KafkaMessage) => void,
): T[] {
  const values: T[] = [];
  for (const message of messages) {
    const parsed = schema.safeParse(decodeJson(message.value));
    if (parsed.success) values.push(parsed.data);
    else unreadable(message);
  }
  return values;
}

/**
 * Subscribes, retrying while a node of a cluster does not know a just-created topic yet ("This server does not
 * host this topic-partition", tulios/kafkajs#1563): kafkajs gives up on the first metadata refresh.
 */
export async function subscribeWithRetry(
  consumer: Consumer,
  subscription: Parameters<Consumer['subscribe']>[0],
  attempts = 20,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await consumer.subscribe(subscription);
    } catch (error) {
      const retriable = (error as { retriable?: boolean }).retriable === true;
      if (!retriable || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * Right after the topic was created, a broker may still answer "not the leader" or "does not host this
 * topic-partition" (its metadata lags the controller's): retried for a few seconds, as kafkajs' own requests are.
 * kafkajs 2.2.4's fetchTopicOffsets then sometimes crashes on the partial answer with a TypeError
 * (`high.pop(...)` undefined, admin/index.js): the same lag, retried the same way (a three-broker CI run hit it
 * on a topic the router had just created).
 */
export async function fetchTopicEnds(admin: Admin, topic: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      const retriable = (error as { retriable?: boolean }).retriable === true || error instanceof TypeError;
      if (!retriable || attempt >= 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * A CredentialProbe (kafka-provisioning.ts) for a cluster reached with `tls` or not: connects to one broker with
 * the credential and answers whether SASL authentication succeeded.
 */
export function credentialProbe(
  logger: Logger,
  tls?: KafkaAuth['tls'],
): (broker: string, username: string, password: string) => Promise<boolean> {
  const quiet = logger.child({ component: 'credential-probe' }, { level: 'silent' });
  return async (broker, username, password) => {
    const admin = createKafka({
      brokers: [broker],
      clientId: 'credential-probe',
      logger: quiet,
      auth: { mechanism: 'scram-sha-512', username, password, ...(tls ? { tls } : {}) },
      retry: { retries: 0 },
      connectionTimeoutMs: 2000,
    }).admin();
    try {
      await admin.connect();
      return true;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  };
}
