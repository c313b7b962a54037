import { randomUUID } from 'node:crypto';
import { testKafkaAuth, testStackEnv } from '@wa-broker/infra/test-env';
import { createKafka, ensureTopics } from '@wa-broker/shared/kafka';
import { createLogger } from '@wa-broker/shared/logger';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitLogTopic, createCommitLogReader, prepareCommitLog } from '../src/adapters/commit-log.kafka.js';
import { committedOffsetOf, committedOffsetReader } from '../src/adapters/committed-offsets.kafka.js';
import {
  createPartitionTransactions,
  type PartitionTransactions,
} from '../src/adapters/partition-transactions.kafka.js';

// The inbound group's commit log against the real Kafka: what a recovering router asks ("did the transaction of
// this checkpoint commit?") answered exactly, at once, where the group coordinator answers late (README
// "Exactly once", step 3).
const run = randomUUID().slice(0, 8);
const source = `test-clog-${run}-source`;
const output = `test-clog-${run}-out`;
const groupId = `test-clog-${run}-group`;
const logTopic = commitLogTopic(groupId);
const logger = createLogger({ service: 'router-test', level: 'silent' });
let kafka: Kafka;
let admin: Admin;
let transactions: PartitionTransactions;
let logOffset: (topic: string, partition: number) => Promise<bigint | null>;

const record = (value: string) => ({ topic: output, key: 'k', value: { value } });

beforeAll(async () => {
  kafka = createKafka({
    auth: testKafkaAuth(),
    clientId: 'clog-test',
    brokers: testStackEnv().KAFKA_BROKERS.split(','),
    logger,
  });
  admin = kafka.admin();
  await admin.connect();
  await ensureTopics(
    admin,
    [
      { topic: source, numPartitions: 3 },
      { topic: output, numPartitions: 1 },
    ],
    { replicationFactor: 1 },
  );
  await prepareCommitLog(admin, { logTopic, sourceTopic: source, replicationFactor: 1 });
  transactions = createPartitionTransactions(kafka, {
    groupId,
    transactionTimeoutMs: 30_000,
    logger,
    commitLog: logTopic,
  });
  logOffset = createCommitLogReader(kafka, admin, { logTopic, groupId });
});

afterAll(async () => {
  await transactions.close();
  await admin.deleteGroups([groupId]).catch(() => undefined);
  await admin.deleteTopics({ topics: [source, output, logTopic] }).catch(() => undefined);
  await admin.disconnect();
});

describe('the commit log of a transactional group', () => {
  it('is created compacted, one partition per source partition', async () => {
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [logTopic] })).topics;
    expect(metadata?.partitions).toHaveLength(3);
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: logTopic, configNames: ['cleanup.policy'] }],
    });
    expect(resources[0]?.configEntries[0]?.configValue).toBe('compact');
  });

  it('says nothing for a partition that never committed', async () => {
    expect(await logOffset(source, 2)).toBeNull();
  });

  it('answers the offset the last committed transaction committed, never one it aborted', async () => {
    // As the router reads it: after taking the partition over, i.e. after InitProducerId, which waits until the
    // previous transaction's markers are written. Right after EndTxn they may not be yet (the coordinator answers
    // once it logged the commit), and the log's stable end still stops before the record (seen in CI).
    const takeOver = async (partition: number) => {
      transactions.reset();
      await (await transactions.begin(source, partition)).abort();
    };
    const first = await transactions.begin(source, 0);
    await first.publish([record('first')]);
    await first.commit('7');
    await takeOver(0);
    expect(await logOffset(source, 0)).toBe(7n);

    // Aborted after its records and log record reached the broker: the log still says 7.
    const aborted = await transactions.begin(source, 0);
    await aborted.publish([record('aborted')]);
    await aborted.commit('not-a-number').catch(() => undefined); // fails after nothing committed
    await aborted.abort();
    const again = await transactions.begin(source, 0);
    await again.abort();
    expect(await logOffset(source, 0)).toBe(7n);

    const next = await transactions.begin(source, 0);
    await next.publish([record('next')]);
    await next.commit('12');
    await takeOver(0);
    expect(await logOffset(source, 0)).toBe(12n);
    // Partitions are apart: partition 1 has its own answer.
    const other = await transactions.begin(source, 1);
    await other.commit('3');
    await takeOver(1);
    expect(await logOffset(source, 1)).toBe(3n);
    expect(await logOffset(source, 0)).toBe(12n);
  });

  it('reads past a tail of aborted transactions to the last committed one', async () => {
    for (let i = 0; i < 12; i++) {
      const failed = await transactions.begin(source, 0);
      await failed.publish([record(`aborted-${i}`)]);
      await failed.abort();
    }
    expect(await logOffset(source, 0)).toBe(12n);
  });

  it('gives the recovery check the exact offset where the group coordinator may still show an older one', async () => {
    const known = () => null; // a new owner: it committed nothing itself
    const lookup = committedOffsetOf({
      logOffset,
      groupOffsetNow: committedOffsetReader(admin, groupId, { known, settleMs: 0 }),
      groupOffsetSettled: committedOffsetReader(admin, groupId, { known, settleMs: 0 }),
    });
    const latest = await transactions.begin(source, 0);
    await latest.commit('20');
    // The new owner has initialised the id, and not waited longer: the answer is already 20 (the coordinator's may
    // be 12 for a while).
    transactions.reset();
    await (await transactions.begin(source, 0)).abort();
    expect(await lookup(source, 0)).toBe('20');
    // Nothing in the log for partition 2: the coordinator answers (nothing committed there).
    expect(await lookup(source, 2)).toBeNull();
  });
});
