import { randomUUID } from 'node:crypto';
import { testKafkaAuth, testStackEnv } from '@wa-broker/infra/test-env';
import { deleteTestTopics } from '@wa-broker/infra/test-topics';
import type { AgentErrorEvent } from '@wa-broker/shared/agent-errors';
import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';
import {
  createKafka,
  createReadCommittedConsumer,
  decodeJson,
  encodeJson,
  ensureTopics,
} from '@wa-broker/shared/kafka';
import { createLogger } from '@wa-broker/shared/logger';
import type { Consumer, Kafka, Producer } from 'kafkajs';

export const brokers = testStackEnv().KAFKA_BROKERS.split(',');
export const logger = createLogger({ service: 'agent-sdk-test', level: 'silent' });

/**
 * A Kafka client, a producer and unique topic names; `close` disconnects everything it opened and deletes the
 * topics: `topics`, those made with `createTopics`, and those named with `track` (created by an agent or a child).
 */
export async function testKafka() {
  const id = randomUUID().slice(0, 8);
  const kafka: Kafka = createKafka({ auth: testKafkaAuth(), brokers, clientId: `sdk-test-${id}`, logger });
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  const admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  const readers: Consumer[] = [];
  const topics = { in: `sdk-test_${id}-in`, out: `sdk-test_${id}-out`, error: `sdk-test_${id}-error` };
  const created = new Set<string>(Object.values(topics));
  return {
    id,
    kafka,
    agentName: `sdk test ${id}`,
    topics,
    /** Names topics this test makes some other way, so `close` deletes them too. */
    track(...names: string[]) {
      for (const name of names) created.add(name);
    },
    async createTopics(topics: string[]) {
      for (const topic of topics) created.add(topic);
      await ensureTopics(
        admin,
        topics.map((topic) => ({ topic })),
        { replicationFactor: 1 },
      );
    },
    async produce(topic: string, values: { waID: string }[]) {
      await producer.send({
        topic,
        acks: -1,
        messages: values.map((value) => ({ key: value.waID, value: encodeJson(value) })),
      });
    },
    /** One record with its own key (contracts keyed otherwise than by user: numbers, templates). */
    async produceRaw(topic: string, key: string, value: unknown) {
      await producer.send({ topic, acks: -1, messages: [{ key, value: encodeJson(value) }] });
    },
    /** Collects a topic's values from the beginning with a fresh group. */
    async read<T = Record<string, unknown>>(topic: string) {
      const consumer = createReadCommittedConsumer(kafka, {
        groupId: `sdk-reader-${randomUUID()}`,
        maxWaitTimeInMs: 200,
      });
      readers.push(consumer);
      const values: T[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => void values.push(decodeJson(message.value) as T),
      });
      return values;
    },
    admin,
    /** Call after the agents using these topics stopped. */
    async close() {
      await Promise.all(readers.map((reader) => reader.disconnect()));
      await deleteTestTopics(admin, created);
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    },
  };
}

let sequence = 0;

/** A router event as `@wa-broker/shared/agent-inbound` describes it. */
export function inbound(
  type: AgentInboundEvent['type'],
  fields: Partial<AgentInboundEvent> = {},
): AgentInboundEvent {
  sequence += 1;
  return {
    v: 1,
    event_id: `wamid.test-${randomUUID()}`,
    waID: '15550001111',
    type,
    text: '',
    raw_payload: null,
    agent: 'sdk test',
    user: { wa_id: '15550001111', name: 'Ada' },
    timestamp: new Date(Date.UTC(2026, 2, 1, 12, 0, sequence)).toISOString(),
    window_expires_at: new Date(Date.UTC(2026, 2, 2, 12, 0, sequence)).toISOString(),
    ...fields,
  };
}

export function agentError(fields: Partial<AgentErrorEvent> = {}): AgentErrorEvent {
  return {
    v: 1,
    event_id: `err-${randomUUID()}`,
    waID: '15550001111',
    text: 'The conversation window is closed; only templates can be sent.',
    raw_payload: null,
    code: 'window_closed',
    agent: 'sdk test',
    timestamp: new Date().toISOString(),
    idempotency_key: 'k-1',
    ...fields,
  };
}
