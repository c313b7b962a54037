import { randomUUID } from 'node:crypto';
import { createReadCommittedConsumer, ensureTopics, fetchTopicEnds } from '@wa-broker/shared/kafka';
import type { Admin, Kafka, Message } from 'kafkajs';

/**
 * The commit log of a consumer group that consumes in transactions: every batch's transaction also writes, to
 * partition p of `<group>-commits`, one record holding the offset it commits for source partition p. Only that
 * partition's transactional id writes there, so once a process has initialised the id (InitProducerId waits until
 * the previous transaction of the id has completed, committed or aborted, and fences its owner), the last
 * committed record of the partition is the offset the group has committed, for certain. The group coordinator's
 * own answer is not: it applies a committed transaction's offsets asynchronously and kafkajs cannot ask it for
 * stable offsets (OffsetFetch v7 `require_stable`), so a read a little late took a committed batch for an
 * uncommitted one, and republished it (fault suite: one broker of three killed, a router killed in a loop, on a
 * busy machine).
 */
export const commitLogTopic = (groupId: string): string => `${groupId}-commits`;

/** The log's record for source partition `partition`, written in the transaction that commits `nextOffset`. */
export function commitLogMessage(sourceTopic: string, partition: number, nextOffset: string): Message {
  return { partition, key: `${sourceTopic}:${partition}`, value: nextOffset };
}

/** Creates the log (compacted) with as many partitions as the source topic has, or grows it to that many. */
export async function prepareCommitLog(
  admin: Admin,
  settings: { logTopic: string; sourceTopic: string; replicationFactor: number },
): Promise<void> {
  const partitions = (await fetchTopicEnds(admin, settings.sourceTopic)).length;
  await ensureTopics(
    admin,
    [{ topic: settings.logTopic, numPartitions: partitions, configs: { 'cleanup.policy': 'compact' } }],
    { replicationFactor: settings.replicationFactor },
  );
  const existing = (await fetchTopicEnds(admin, settings.logTopic)).length;
  if (existing < partitions)
    await admin.createPartitions({ topicPartitions: [{ topic: settings.logTopic, count: partitions }] });
}

/** How long reading the log's tail may take before the batch fails (and is replayed). */
const readTimeoutMs = 30_000;

/**
 * The offset the last committed transaction of `sourceTopic`'s `partition` committed, read from the log's tail
 * (null when the log holds none: a group that committed nothing yet, or before the log existed). Call it only
 * after this process initialised the partition's transactional id (see above); it reads the records below the
 * partition's end, going further back while the tail holds only aborted transactions.
 */
export function createCommitLogReader(
  kafka: Kafka,
  admin: Admin,
  settings: { logTopic: string; groupId: string },
) {
  return async (sourceTopic: string, partition: number): Promise<bigint | null> => {
    const end = (await fetchTopicEnds(admin, settings.logTopic)).find((e) => e.partition === partition);
    if (!end) throw new Error(`${settings.logTopic} has no partition ${partition}`);
    const high = BigInt(end.high);
    const low = BigInt(end.low);
    const key = `${sourceTopic}:${partition}`;
    for (let window = 16n; ; window *= 8n) {
      const from = high - window > low ? high - window : low;
      if (from >= high) return null;
      const last = await lastValueBetween(kafka, settings, { partition, key, from, high });
      if (last !== null) return last;
      if (from === low) return null;
    }
  };
}

/**
 * Reads the partition's records in [from, high) with a consumer of a group of its own (kafkajs cannot read a
 * partition without one). A broker killed and restarted (fault suite: one of three, under load) broke the read
 * in two ways, each leaving the consumer at the log's end, where no batch ever comes, until the 30 s timeout:
 * - kafkajs drops a pending seek when the group rejoins (its coordinator moved: the seek's OffsetCommit got "not
 *   the correct coordinator"), and the position becomes the group's reset position;
 * - a SASL handshake the dying broker cut is not retriable for kafkajs: the consumer crashed and never restarted.
 * So offsets are never committed (a seek stays local), the seek is made again on every join, a reset goes to the
 * beginning (records read again, never skipped), and a crash fails the read at once (the batch is retried).
 */
async function lastValueBetween(
  kafka: Kafka,
  settings: { logTopic: string; groupId: string },
  range: { partition: number; key: string; from: bigint; high: bigint },
): Promise<bigint | null> {
  const consumer = createReadCommittedConsumer(kafka, {
    groupId: `${settings.groupId}-commits-reader-${randomUUID()}`,
    maxWaitTimeInMs: 100,
  });
  const start = { topic: settings.logTopic, partition: range.partition, offset: String(range.from) };
  // The record of the highest offset read wins: a reset reads some records twice, never out of order.
  let last = null as { offset: bigint; value: bigint } | null;
  let running = false;
  let crashed = false;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: settings.logTopic, fromBeginning: true });
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`reading ${settings.logTopic}[${range.partition}] took over ${readTimeoutMs} ms`)),
        readTimeoutMs,
      );
      // On kafkajs' end-of-batch event: a tail of aborted records and markers never reaches eachBatch.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        if (payload.partition !== range.partition) return;
        if (BigInt(payload.lastOffset) + 1n >= range.high) {
          clearTimeout(timer);
          resolve();
        }
      });
      // Emitted synchronously after each join's sync, before the next fetch: the seek is never missed.
      consumer.on(consumer.events.GROUP_JOIN, () => {
        if (running) consumer.seek(start);
      });
      // Even a crash kafkajs restarts from waits a back-off of seconds first: a fresh read is quicker.
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        crashed = true;
        clearTimeout(timer);
        reject(payload.error);
      });
    });
    done.catch(() => undefined);
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (batch.partition !== range.partition) return;
        for (const message of batch.messages) {
          const offset = BigInt(message.offset);
          if (offset < range.high && message.key?.toString() === range.key && (!last || offset > last.offset))
            last = { offset, value: BigInt(message.value?.toString() ?? '0') };
        }
      },
    });
    running = true;
    // run() resolves even when the consumer crashed while starting; then `done` holds the crash.
    if (!crashed) consumer.seek(start);
    await done;
    return last?.value ?? null;
  } finally {
    await consumer.disconnect();
  }
}
