import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { testKafkaAuth, testKafkaEnv, testStackEnv } from '@wa-broker/infra/test-env';
import { deleteTestTopics } from '@wa-broker/infra/test-topics';
import type { AgentChangeEvent } from '@wa-broker/shared/agents';
import type { BusinessNumberRecord, NumberChangeEvent } from '@wa-broker/shared/business-numbers';
import { loadConfig } from '@wa-broker/shared/config';
import { createKafka, decodeJson, encodeJson, ensureTopics } from '@wa-broker/shared/kafka';
import { createLogger } from '@wa-broker/shared/logger';
import { Redis } from 'ioredis';
import type { Consumer, Producer } from 'kafkajs';
import { buildApp } from '../../src/app.js';
import { serviceConfig } from '../../src/config.js';
import { type FakeGraph, startFakeGraph } from './fake-graph.js';

const fixtures = new URL('../../../../../shared/fixtures/meta/', import.meta.url);

export function fixtureItem(file: string): Record<string, unknown> {
  const body = JSON.parse(readFileSync(new URL(file, fixtures), 'utf8'));
  const value = body.entry[0].changes[0].value;
  return value.messages?.[0] ?? value.statuses?.[0];
}

/**
 * The router's environment for run `id`: topics, groups and Redis prefix of its own (`t<id>-…`), never `pnpm dev`'s
 * defaults. Also for running the router as a process of its own (the benchmark).
 */
export function harnessEnv(id: string, graphUrl: string, overrides: Record<string, string> = {}) {
  const stack = testStackEnv();
  const env: Record<string, string> = {
    ...testKafkaEnv(),
    REDIS_URL: stack.REDIS_URL,
    REDIS_KEY_PREFIX: `test:${id}:`,
    WEBHOOK_TOPIC: `t${id}-webhook`,
    AGENT_CHANGES_TOPIC: `t${id}-agent-changes`,
    NUMBER_CHANGES_TOPIC: `t${id}-number-changes`,
    ROUTER_OUT_TOPIC: `t${id}-router-out`,
    DEAD_LETTER_TOPIC: `t${id}-dlq`,
    TEMPLATE_CHANGES_TOPIC: `t${id}-template-changes`,
    MESSAGE_COSTS_TOPIC: `t${id}-message-costs`,
    NOTIFICATIONS_SEND_TOPIC: `t${id}-notifications-send`,
    NOTIFICATION_EVENTS_TOPIC: `t${id}-notification-events`,
    INBOUND_GROUP_ID: `t${id}-in`,
    OUTBOUND_GROUP_ID: `t${id}-out`,
    // Every group of its own: the defaults are `pnpm dev`'s, and kafkajs' round-robin assigner hands a group's
    // partitions to its members whatever each subscribed to, so a shared group mixes up runs' topics.
    NOTIFY_SEND_GROUP_ID: `t${id}-notifications`,
    NOTIFY_STATUS_GROUP_ID: `t${id}-notification-statuses`,
    GRAPH_API_BASE_URL: graphUrl,
    GRAPH_PHONE_NUMBER_ID: '106540352242922',
    GRAPH_API_TOKEN: 'test-token-secret',
    SEND_BACKOFF_BASE_MS: '20',
    RATE_LIMIT_PAIR_BURST: '50',
    PORT: '0',
    LOG_LEVEL: 'silent',
    ...overrides,
  };
  return env;
}

/** A router on unique topics, groups and Redis prefix, a fake Graph API and helpers to drive and observe it. */
export async function startHarness(overrides: Record<string, string> = {}) {
  const id = randomUUID().slice(0, 8);
  const graph = await startFakeGraph();
  const env = harnessEnv(id, graph.url, overrides);
  const config = loadConfig(serviceConfig, env);
  const logger = createLogger({ service: 'router-test', level: config.LOG_LEVEL });
  const kafka = createKafka({
    auth: testKafkaAuth(),
    brokers: config.KAFKA_BROKERS,
    clientId: `test-${id}`,
    logger,
  });
  const admin = kafka.admin();
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  await Promise.all([admin.connect(), producer.connect()]);
  await ensureTopics(
    admin,
    [{ topic: config.AGENT_CHANGES_TOPIC, configs: { 'cleanup.policy': 'compact' } }],
    { replicationFactor: 1 },
  );
  const redis = new Redis(config.REDIS_URL);
  const received = new Map<string, Record<string, unknown>[]>();
  const watchers: Consumer[] = [];
  let router = await buildApp({ config, logger, redis, graph: undefined, secrets: env });
  let agentVersion = 0;

  const h = {
    id,
    env,
    config,
    graph,
    redis,
    get router() {
      return router;
    },
    topics: (agent: string) => ({
      in: `t${id}-${agent}-in`,
      out: `t${id}-${agent}-out`,
      error: `t${id}-${agent}-error`,
    }),
    /** Announces a business number as the admin does (its full state on the compacted topic). */
    async putNumber(number: BusinessNumberRecord) {
      await ensureTopics(
        admin,
        [{ topic: config.NUMBER_CHANGES_TOPIC, configs: { 'cleanup.policy': 'compact' } }],
        { replicationFactor: 1 },
      );
      const event: NumberChangeEvent = {
        v: 1,
        type: 'updated',
        number,
        published_at: new Date().toISOString(),
      };
      await producer.send({
        topic: config.NUMBER_CHANGES_TOPIC,
        messages: [{ key: number.phone_number_id, value: encodeJson(event) }],
      });
    },
    async putAgent(agentId: number, name: string, active = true, description = '') {
      const topics = h.topics(`a${agentId}`);
      const now = new Date(Date.UTC(2026, 0, 1, 0, 0, agentVersion++)).toISOString();
      const event: AgentChangeEvent = {
        v: 1,
        type: 'updated',
        published_at: now,
        agent: {
          id: agentId,
          name,
          slug: `a${agentId}`,
          description,
          read_topic: topics.in,
          write_topic: topics.out,
          error_topic: topics.error,
          active,
          created_at: now,
          updated_at: now,
        },
      };
      await ensureTopics(
        admin,
        Object.values(topics).map((topic) => ({ topic })),
        { replicationFactor: 1 },
      );
      await producer.send({
        topic: config.AGENT_CHANGES_TOPIC,
        messages: [{ key: String(agentId), value: encodeJson(event) }],
      });
    },
    async watch(topics: string[]) {
      await ensureTopics(
        admin,
        topics.map((topic) => ({ topic })),
        { replicationFactor: 1 },
      );
      const consumer = kafka.consumer({ groupId: `t${id}-watch-${watchers.length}`, maxWaitTimeInMs: 500 });
      watchers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ topic, message }) =>
          void received.set(topic, [
            ...(received.get(topic) ?? []),
            decodeJson(message.value) as Record<string, unknown>,
          ]),
      });
    },
    received: (topic: string) => received.get(topic) ?? [],
    async inbound(user: string, item: Record<string, unknown>) {
      await h.inboundMany([{ user, item }]);
    },
    /**
     * Several webhook message events in one produce request (the benchmark's producer stays cheap); `headers`
     * as the webhook's replay sets them.
     */
    async inboundMany(
      items: {
        user: string;
        /** The BSUID too, as Meta sends since 2026 (the key then); by default the phone alone ('': none). */
        userId?: string;
        /** The business number written to (default: the router's GRAPH_PHONE_NUMBER_ID). */
        phoneNumberId?: string;
        item: Record<string, unknown>;
        headers?: Record<string, string>;
      }[],
    ) {
      const messages = items.map(({ user, userId, item, headers, phoneNumberId = '106540352242922' }) => {
        const identity = { ...(user ? { wa_id: user } : {}), ...(userId ? { user_id: userId } : {}) };
        const event = {
          v: 1,
          kind: 'message',
          message_type: item.type,
          trace_id: randomUUID(),
          received_at: new Date().toISOString(),
          occurred_at: null,
          waba_id: '102290129340398',
          phone_number_id: phoneNumberId,
          metadata: { phone_number_id: phoneNumberId },
          user: identity,
          contact: { ...identity, profile: { name: 'Jane' } },
          item: { ...item, ...(user ? { from: user } : {}), ...(userId ? { from_user_id: userId } : {}) },
        };
        return { key: userId ?? user, value: encodeJson(event), ...(headers ? { headers } : {}) };
      });
      await producer.send({ topic: config.WEBHOOK_TOPIC, messages });
    },
    async status(
      user: string,
      wamid: string,
      status: string,
      errors?: unknown[],
      extra: Record<string, unknown> = {},
    ) {
      const item = {
        id: wamid,
        status,
        timestamp: String(Math.floor(Date.now() / 1000)),
        recipient_id: user,
        ...(errors ? { errors } : {}),
        ...extra,
      };
      const event = {
        v: 1,
        kind: 'status',
        trace_id: randomUUID(),
        received_at: new Date().toISOString(),
        occurred_at: null,
        waba_id: null,
        phone_number_id: '106540352242922',
        metadata: null,
        user: { wa_id: user },
        contact: null,
        item,
      };
      await producer.send({
        topic: config.WEBHOOK_TOPIC,
        messages: [{ key: user, value: encodeJson(event) }],
      });
    },
    async text(
      user: string,
      body: string,
      wamid = `wamid.${randomUUID()}`,
      timestamp = String(Math.floor(Date.now() / 1000)),
    ) {
      await h.inbound(user, { id: wamid, timestamp, type: 'text', text: { body } });
      return wamid;
    },
    async reply(user: string, replyId: string) {
      await h.inbound(user, {
        id: `wamid.${randomUUID()}`,
        timestamp: String(Math.floor(Date.now() / 1000)),
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: replyId, title: 'x' } },
      });
    },
    async agentSays(agentId: number, message: Record<string, unknown>) {
      await producer.send({
        topic: h.topics(`a${agentId}`).out,
        messages: [{ key: String(message.waID), value: encodeJson(message) }],
      });
    },
    async restartRouter() {
      await router.stop();
      router = await buildApp({ config, logger, redis, secrets: env });
      await router.start();
    },
    async stop() {
      try {
        await router.stop();
        await Promise.all(watchers.map((w) => w.disconnect()));
      } finally {
        // Everything this run created goes, even when stopping failed: its topics (t<id>-…) and Redis keys.
        await deleteTestTopics(admin, (topic) => topic.startsWith(`t${id}-`));
        await Promise.all([producer.disconnect(), admin.disconnect()]);
        const keys = await redis.keys(`${config.REDIS_KEY_PREFIX}*`);
        if (keys.length) await redis.del(...keys);
        redis.disconnect();
        await graph.close();
      }
    },
  };
  return h;
}
export type Harness = Awaited<ReturnType<typeof startHarness>>;

export type { FakeGraph };
