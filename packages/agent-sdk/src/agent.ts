import { randomUUID } from 'node:crypto';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { coalescingSend } from '@wa-broker/shared/coalescing-send';
import {
  type ConsumerSettings,
  createKafka,
  createReadCommittedConsumer,
  encodeJson,
  ensureTopics,
  type KafkaAuth,
} from '@wa-broker/shared/kafka';
import { agentGroupPrefix } from '@wa-broker/shared/kafka-access';
import { createLogger, type Logger } from '@wa-broker/shared/logger';
import { agentErrorTopic, agentInTopic, agentOutTopic, agentSlug } from '@wa-broker/shared/topics';
import { traceHeaders } from '@wa-broker/shared/trace-context';
import type { Kafka, Message, Producer, ProducerConfig } from 'kafkajs';
import { runEventConsumer } from './consumer.kafka.js';
import { type DedupeStore, memoryDedupeStore } from './dedupe.js';
import {
  createDispatcher,
  type EventHandler,
  type Handler,
  type HandlerErrorPolicy,
  type Handlers,
  type OutboundHandler,
  type Where,
} from './dispatch.js';
import type { InboundKind } from './messages.js';
import { createSender, type Sender } from './sender.js';
import { createTemplateCheck, type TemplateCheckOptions } from './templates.js';

export interface AgentTopics {
  /** Read: the router's events for this agent. */
  in: string;
  /** Written: this agent's messages. */
  out: string;
  /** Read: the router's reports about this agent's messages. */
  error: string;
}

export interface AgentOptions {
  /** The agent's name as registered in the admin; topics default to `<slug>-in/-out/-error`. */
  agent: string;
  /** Kafka bootstrap servers, e.g. `['127.0.0.1:19092']`; required unless `kafka` is given. */
  brokers?: readonly string[];
  /**
   * The agent's Kafka credentials: the username and secret the admin returned when the agent was created (or
   * rotated), `{ mechanism: 'scram-sha-512', username: 'agent-<slug>', password }`, plus `tls` for SASL_SSL.
   * They open this agent's topics and groups only (README "Kafka access").
   */
  auth?: KafkaAuth;
  /** Explicit topics (the admin record's `read_topic`/`write_topic`/`error_topic`) instead of the defaults. */
  topics?: Partial<AgentTopics>;
  /**
   * `shared` (default): instances share one consumer group, so each event is handled by exactly one of them.
   * `every-instance`: each process has its own group starting at the topics' ends, so every instance sees
   * every event from its start on (e.g. to push to the operators connected to it).
   */
  delivery?: 'shared' | 'every-instance';
  /**
   * The consumer group (or, for `every-instance`, its prefix). Default `<slug>:agent`. The agent's credentials
   * open only groups starting with `<slug>:` (kafka-access.ts), so a custom id must start with it too.
   */
  groupId?: string;
  /**
   * `every-instance` only: the per-process group is `<groupId>-<instanceId>` (a stable name per replica,
   * e.g. its host name); default a random UUID. Either way the group starts at the topics' ends.
   */
  instanceId?: string;
  /**
   * Consumer tuning over the defaults (session timeout 10 s, heartbeat 1 s, max wait 500 ms). The isolation level
   * is not a setting: the agent always reads `read_committed` (the router writes its topics in transactions).
   */
  consumer?: Omit<Partial<ConsumerSettings>, 'groupId'>;
  /** Producer settings, e.g. `{ maxInFlightRequests: 1 }` to keep order through retries. */
  producer?: ProducerConfig;
  /** Where handled event ids are remembered; default in memory. */
  dedupe?: DedupeStore;
  /** Default: `retry` — the event is read again until the handler succeeds. */
  onHandlerError?: HandlerErrorPolicy;
  /** Called for each event skipped because it does not match the contract (after it is logged), e.g. to count it. */
  onUnreadable?: (where: Where, issues: unknown[]) => void;
  logger?: Logger;
  clientId?: string;
  /** Reuse a kafkajs client (its brokers win over `brokers`). */
  kafka?: Kafka;
  /** Creates the three topics if missing (broker auto-create is off). Default: yes, replication factor 1. */
  createTopics?: false | { replicationFactor: number; partitions?: number };
  /**
   * Follows the admin's template store (`template-changes`, `number-changes`): a template send from a number whose
   * WABA it knows is refused at the call site with {@link TemplateRefusedError} (unknown, other language, not
   * approved, paused, wrong parameters), as the router would refuse it. Default: off (the router still checks).
   */
  checkTemplates?: boolean | TemplateCheckOptions;
}

export interface Agent {
  readonly name: string;
  readonly topics: Readonly<AgentTopics>;
  /** Registers the handler of one inbound kind (one per kind; a later call replaces it). */
  on<K extends InboundKind>(kind: K, handler: Handler<K>): Agent;
  /**
   * Registers one handler for every event as received (`{ source: 'in' | 'error', event }`), run before the
   * kind's handler; it also gets the events whose kind misses its field (no typed view, no kind handler).
   */
  onEvent(handler: EventHandler): Agent;
  /**
   * Also reads the agent's own `-out` topic (register before `start`): the handler gets each message any
   * instance of this agent sent, e.g. to show an operator's reply on the other instances. With
   * `every-instance` delivery it starts at the topic's end like the others.
   */
  onOutbound(handler: OutboundHandler): Agent;
  /** Senders to any user; validated against Meta's limits before anything is produced. */
  readonly send: Sender;
  /** Connects, creates the topics, joins the group; resolves once events flow. */
  start(): Promise<void>;
  /** Finishes the event in hand, commits, then disconnects. Safe to call twice. */
  stop(): Promise<void>;
}

/** Resolves the topics an agent reads and writes from its name and any explicit names. */
export function agentTopics(name: string, explicit: Partial<AgentTopics> = {}): AgentTopics {
  const slug = agentSlug(name);
  return {
    in: explicit.in ?? agentInTopic(slug),
    out: explicit.out ?? agentOutTopic(slug),
    error: explicit.error ?? agentErrorTopic(slug),
  };
}

export function createAgent(options: AgentOptions): Agent {
  const topics = Object.freeze(agentTopics(options.agent, options.topics));
  const logger = (options.logger ?? createLogger({ service: 'agent' })).child({ agent: options.agent });
  if (!options.kafka && !options.brokers?.length)
    throw new Error('createAgent needs brokers or a kafka client');
  const kafka =
    options.kafka ??
    createKafka({
      brokers: options.brokers ?? [],
      ...(options.auth ? { auth: options.auth } : {}),
      clientId: options.clientId ?? `agent-${agentSlug(options.agent)}`,
      logger,
    });
  const everyInstance = options.delivery === 'every-instance';
  const groupBase = options.groupId ?? `${agentGroupPrefix(agentSlug(options.agent))}agent`;
  const consumer = createReadCommittedConsumer(kafka, {
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    maxWaitTimeInMs: 500,
    ...options.consumer,
    groupId: everyInstance ? `${groupBase}-${options.instanceId ?? randomUUID()}` : groupBase,
  });
  const producer: Producer = kafka.producer({ ...options.producer, allowAutoTopicCreation: false });
  const admin = kafka.admin();
  const handlers: Handlers = {};
  let eventHandler: EventHandler | undefined;
  let outboundHandler: OutboundHandler | undefined;
  const templates = options.checkTemplates
    ? createTemplateCheck(kafka, options.checkTemplates === true ? {} : options.checkTemplates, groupBase)
    : undefined;
  // One request at a time, records given meanwhile batched into the next (shared/coalescing-send.ts).
  const produceRecords = coalescingSend((messages: Message[]) =>
    producer.send({ topic: topics.out, acks: -1, messages }),
  );
  const send = createSender(
    (message) => produceRecords([outboundRecord(message)]),
    undefined,
    (message) => templates?.check(message),
  );
  let started: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;

  const agent: Agent = {
    name: options.agent,
    topics,
    send,
    on(kind, handler) {
      (handlers as Record<string, unknown>)[kind] = handler;
      return agent;
    },
    onEvent(handler) {
      eventHandler = handler;
      return agent;
    },
    onOutbound(handler) {
      outboundHandler = handler;
      return agent;
    },
    start() {
      started ??= (async () => {
        await Promise.all([admin.connect(), producer.connect()]);
        if (options.createTopics !== false) {
          const { replicationFactor, partitions } = options.createTopics ?? { replicationFactor: 1 };
          const specs = [topics.in, topics.out, topics.error].map((topic) => ({ topic }));
          await ensureTopics(admin, specs, { replicationFactor, defaultPartitions: partitions ?? 3 });
        }
        const replication = options.createTopics ? options.createTopics.replicationFactor : 1;
        await templates?.load(admin, logger, replication);
        await runEventConsumer({
          consumer,
          // `-out` only when asked for: an agent does not otherwise read what it wrote.
          topics: outboundHandler ? [topics.in, topics.error, topics.out] : [topics.in, topics.error],
          startAtEnds: everyInstance ? admin : undefined,
          handle: createDispatcher({
            topics,
            handlers,
            eventHandler: () => eventHandler,
            outboundHandler: () => outboundHandler,
            dedupe: options.dedupe ?? memoryDedupeStore(),
            sender: send,
            logger,
            onHandlerError: options.onHandlerError ?? (() => 'retry'),
            ...(options.onUnreadable ? { onUnreadable: options.onUnreadable } : {}),
          }),
        });
        logger.info({ topics, delivery: options.delivery ?? 'shared' }, 'agent started');
      })();
      return started;
    },
    stop() {
      stopped ??= (async () => {
        // The consumer first: it finishes the batch in hand (its replies still need the producer) and commits.
        await consumer.disconnect();
        await templates?.stop();
        await Promise.all([producer.disconnect(), admin.disconnect()]);
        logger.info('agent stopped');
      })();
      return stopped;
    },
  };
  return agent;
}

/**
 * Keyed by the user so the router keeps each user's order (sent with acks from all in-sync replicas); the trace
 * headers are the caller's, taken when the record is made.
 */
function outboundRecord(message: AgentOutboundMessage): Message {
  return {
    key: message.waID,
    value: encodeJson(message),
    // The trace of the event being handled, when there is one (traceHeaders is empty otherwise).
    headers: {
      ...traceHeaders(),
      ...(message.idempotency_key ? { 'idempotency-key': message.idempotency_key } : {}),
    },
  };
}
