import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { stackKafkaSecurity } from './stack-settings.js';

export interface TopicRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Tests: reads every record of the topics up to their current end (a fresh group, from the beginning), as an
 * agent does: read_committed, so records of aborted transactions are not counted. "Nothing was published" is
 * then a fact about the topic now, not a wait for a deadline.
 */
export async function readTopics(
  brokers: string[],
  topics: readonly string[],
  timeoutMs = 120_000,
): Promise<TopicRecord[]> {
  // As the stack's super user (every stack, private ones too, has the same one unless configured otherwise).
  const kafka = new Kafka({
    brokers,
    clientId: 'test-topic-reader',
    ...stackKafkaSecurity(),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  for (const topic of topics)
    for (const partition of await admin.fetchTopicOffsets(topic))
      ends.set(`${topic}:${partition.partition}`, BigInt(partition.high));
  await admin.disconnect();
  const remaining = new Set([...ends].filter(([, high]) => high > 0n).map(([key]) => key));
  const records: TopicRecord[] = [];
  if (remaining.size === 0) return records;
  const consumer = kafka.consumer({
    groupId: `test-reader-${randomUUID()}`,
    maxBytes: 50 * 1024 * 1024,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`reading ${topics.join(', ')}: ${remaining.size} partitions left`)),
      timeoutMs,
    );
    // Counted on kafkajs' end-of-batch event, not in eachBatch: a transactional topic ends with a commit
    // marker, and a fetch holding only markers (or aborted records) never reaches eachBatch.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const key = `${payload.topic}:${payload.partition}`;
      if (BigInt(payload.lastOffset) + 1n >= (ends.get(key) ?? 0n)) remaining.delete(key);
      if (remaining.size === 0) {
        clearTimeout(timer);
        resolve();
      }
    });
    void consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages)
          records.push({
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            value: message.value,
            headers: Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
            ),
          });
      },
    });
  });
  try {
    await done;
  } finally {
    await consumer.disconnect();
  }
  return records;
}
