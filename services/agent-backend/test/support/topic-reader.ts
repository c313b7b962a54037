import { randomUUID } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import { createReadCommittedConsumer, decodeJson } from '@wa-broker/shared/kafka';
import type { Kafka } from 'kafkajs';

export interface TopicReader {
  values: unknown[];
  waitFor<T>(predicate: (value: T) => boolean, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** Reads a topic from the beginning with a fresh group, collecting decoded values. */
export async function readTopic(kafka: Kafka, topic: string): Promise<TopicReader> {
  const consumer = createReadCommittedConsumer(kafka, {
    groupId: `reader-${randomUUID()}`,
    sessionTimeout: 10_000,
  });
  const values: unknown[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void values.push(decodeJson(message.value)) });
  return {
    values,
    async waitFor<T>(predicate: (value: T) => boolean, timeoutMs = 15_000) {
      await eventually(() => values.some((value) => predicate(value as T)), { timeoutMs });
      return values.find((value) => predicate(value as T)) as T;
    },
    close: () => consumer.disconnect(),
  };
}
