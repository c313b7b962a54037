import { randomUUID } from 'node:crypto';
import { privateStack } from '@wa-broker/infra/private-stack';
import { kafkaServices, stackUp } from '@wa-broker/infra/stack';
import { testKafkaAuth } from '@wa-broker/infra/test-env';
import { createKafka, ensureTopics } from '@wa-broker/shared/kafka';
import { createLogger } from '@wa-broker/shared/logger';
import { afterAll, describe, expect, it } from 'vitest';
import { commitLogTopic, createCommitLogReader, prepareCommitLog } from '../src/adapters/commit-log.kafka.js';
import { createPartitionTransactions } from '../src/adapters/partition-transactions.kafka.js';

// The commit log read while one broker of three is killed and restarted, on a Kafka of this file's own (the
// shared one is never killed). Before the reader seeked again on every join, a read whose group had to rejoin
// (its coordinator moved back to the restarted broker) lost its seek, sat at the log's end and waited out its
// timeout, and the router's batch with it: fault suite, "kill -9 one broker of three", 20 events late.
const stack = privateStack('router-commit-log', { brokers: 3, kafka: 31592, mongo: 27056 });
const logger = createLogger({ service: 'router-test', level: 'silent' });
const partitions = 8;
const run = randomUUID().slice(0, 8);
const source = `test-clog-restart-${run}-source`;
const groupId = `test-clog-restart-${run}-group`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterAll(() => stack.remove(), 120_000);

describe('the commit log through a broker kill and restart', () => {
  it('every read answers a committed offset or fails at once; none waits out its timeout', async () => {
    const { env } = await stackUp({ settings: stack.settings });
    const kafka = createKafka({
      auth: testKafkaAuth(),
      clientId: 'clog-restart-test',
      brokers: (env.KAFKA_BROKERS ?? '').split(','),
      logger,
    });
    const admin = kafka.admin();
    await admin.connect();
    const logTopic = commitLogTopic(groupId);
    await ensureTopics(admin, [{ topic: source, numPartitions: partitions }], { replicationFactor: 3 });
    await prepareCommitLog(admin, { logTopic, sourceTopic: source, replicationFactor: 3 });
    const writerTransactions = createPartitionTransactions(kafka, {
      groupId,
      transactionTimeoutMs: 30_000,
      logger,
      commitLog: logTopic,
    });
    const read = createCommitLogReader(kafka, admin, { logTopic, groupId });

    // Writers, as the router's batches: every third transaction aborted after it began.
    const attempted = Array.from({ length: partitions }, () => 0);
    let writing = true;
    const commitOnce = async (partition: number, value: number) => {
      const transaction = await writerTransactions.begin(source, partition);
      try {
        if (value % 3 === 0) await transaction.abort();
        else await transaction.commit(String(value));
        return value % 3 !== 0;
      } catch {
        await transaction.abort();
        return false;
      }
    };
    const writers = Array.from({ length: partitions }, async (_, partition) => {
      while (writing) {
        attempted[partition] = (attempted[partition] ?? 0) + 1;
        await commitOnce(partition, attempted[partition] ?? 0).catch(() => sleep(100));
        await sleep(20);
      }
    });

    // Readers, as routers taking partitions over, all the while.
    const outcomes: { partition: number; value?: bigint | null; error?: string; afterRestart: boolean }[] =
      [];
    let reading = true;
    let restarted = false;
    // Two readers per partition: more groups joining, crashing and rejoining across the fault.
    const readers = Array.from({ length: 2 * partitions }, async (_, reader) => {
      const partition = reader % partitions;
      while (reading) {
        const afterRestart = restarted;
        try {
          outcomes.push({ partition, value: await read(source, partition), afterRestart });
        } catch (error) {
          outcomes.push({ partition, error: (error as Error).message, afterRestart });
          await sleep(100);
        }
      }
    });
    const answeredSinceRestart = (partition: number) =>
      outcomes.some((o) => o.partition === partition && o.afterRestart && o.error === undefined);

    await sleep(3000);
    const node = kafkaServices(stack.settings)[1];
    expect(node?.kill()).toBe(true);
    // Down longer than the brokers' session (KRaft broker.session.timeout.ms, 9 s): the controller fences the
    // node, and the leaders of its partitions and its group coordinators move to the other two.
    await sleep(12_000);
    await node?.up(() => undefined);
    restarted = true;
    // New reads for 15 s while the cluster settles, and until every partition has answered again; the reads in
    // flight are awaited below (a stalled one ends at the reader's own 30 s timeout).
    await sleep(15_000);
    for (const deadline = Date.now() + 90_000; Date.now() < deadline; await sleep(500))
      if (Array.from({ length: partitions }, (_, p) => p).every(answeredSinceRestart)) break;
    reading = false;
    await Promise.all(readers);
    writing = false;
    await Promise.all(writers);

    expect(outcomes.filter((o) => o.error?.includes('took over'))).toEqual([]);
    for (let partition = 0; partition < partitions; partition++) {
      expect(answeredSinceRestart(partition), `partition ${partition} answered after the restart`).toBe(true);
      // Never an aborted transaction's offset, never one not yet written.
      for (const { value } of outcomes.filter((o) => o.partition === partition && o.value != null)) {
        expect(Number(value) % 3).not.toBe(0);
        expect(Number(value)).toBeLessThanOrEqual(attempted[partition] ?? 0);
      }
      // And exact once the partition is taken over (InitProducerId), as the router reads it.
      let last = (attempted[partition] ?? 0) + 1;
      while (!(await commitOnce(partition, last))) last++;
      writerTransactions.reset();
      await (await writerTransactions.begin(source, partition)).abort();
      expect(await read(source, partition)).toBe(BigInt(last));
    }
    await writerTransactions.close();
    await admin.disconnect();
  }, 300_000);
});
