import { randomUUID } from 'node:crypto';
import { testKafkaSecurity, testStackEnv } from '@wa-broker/infra/test-env';
import { deleteTestTopics, type TopicSelection } from '@wa-broker/infra/test-topics';
import { readTopics } from '@wa-broker/infra/topic-reader';
import { decodeJson } from '@wa-broker/shared/kafka';
import { Kafka, logLevel } from 'kafkajs';

const kafka = () =>
  new Kafka({ ...testKafkaSecurity(), brokers: [testStackEnv().KAFKA_BROKERS], logLevel: logLevel.NOTHING });

export interface ReadMessage {
  key: string | undefined;
  value: unknown;
}

/**
 * Reads `topic` from the beginning with a fresh group until `isDone(messages)` holds or the deadline passes;
 * returns what was read either way, so the assertion shows what arrived.
 */
export async function readTopic(
  topic: string,
  isDone: (messages: ReadMessage[]) => boolean,
  timeoutMs = 20_000,
): Promise<ReadMessage[]> {
  const consumer = kafka().consumer({
    groupId: `admin-test-${randomUUID()}`,
    sessionTimeout: 6000,
    maxWaitTimeInMs: 100,
  });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    await consumer.run({
      eachMessage: async ({ message }) => {
        messages.push({ key: message.key?.toString('utf8'), value: decodeJson(message.value) });
        if (isDone(messages)) resolveDone();
      },
    });
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

/** Every record on `topic` now (up to its end offsets): what "nothing more was published" is checked against. */
export async function readWholeTopic(topic: string): Promise<ReadMessage[]> {
  const records = await readTopics([testStackEnv().KAFKA_BROKERS], [topic], 30_000);
  return records.map((record) => ({ key: record.key ?? undefined, value: decodeJson(record.value) }));
}

export async function topicExists(...topics: string[]): Promise<boolean[]> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    return topics.map((topic) => existing.has(topic));
  } finally {
    await admin.disconnect();
  }
}

export async function topicConfig(topic: string, name: string): Promise<string | undefined> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: topic, configNames: [name] }],
    });
    return resources[0]?.configEntries.find((entry) => entry.configName === name)?.configValue;
  } finally {
    await admin.disconnect();
  }
}

/** Deletes the topics a test created (names or a name test), once the admins using them are closed. */
export async function deleteTopics(selection: TopicSelection): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    await deleteTestTopics(admin, selection);
  } finally {
    await admin.disconnect();
  }
}
