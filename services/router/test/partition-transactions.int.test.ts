import { randomUUID } from 'node:crypto';
import { testKafkaAuth, testStackEnv } from '@wa-broker/infra/test-env';
import { createKafka, createReadCommittedConsumer, ensureTopics } from '@wa-broker/shared/kafka';
import { createLogger } from '@wa-broker/shared/logger';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPartitionTransactions,
  notCommittedYet,
  type PartitionTransaction,
  type PartitionTransactions,
} from '../src/adapters/partition-transactions.kafka.js';

// Issue 14: kafkajs restarts a crashed consumer without waiting for the batches it was still running, so one
// process can hold two batches of a partition at once. These run the transactions against the real Kafka.
const run = randomUUID().slice(0, 8);
const source = `test-ptx-${run}-source`;
const output = `test-ptx-${run}-out`;
const groupId = `test-ptx-${run}-group`;
const logger = createLogger({ service: 'router-test', level: 'silent' });
let kafka: Kafka;
let admin: Admin;
let transactions: PartitionTransactions;

const record = (value: string) => ({ topic: output, key: 'k', value: { value } });

/** Every value committed to the output topic, read with isolation read_committed until `expected` arrived. */
async function committedValues(expected: number): Promise<string[]> {
  const consumer = createReadCommittedConsumer(kafka, { groupId: `${groupId}-reader-${randomUUID()}` });
  const values: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: output, fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        values.push((JSON.parse(message.value?.toString() ?? '{}') as { value: string }).value);
        if (values.length >= expected) resolve();
      },
    });
  });
  await done;
  // Anything that would make a copy has been written before the expected records: read a little longer.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await consumer.disconnect();
  return values;
}

/**
 * The group's committed offset of a partition once it reached `expected`, or what it was after 10 s. The group
 * coordinator applies a transaction's offsets after the commit returned (asynchronously): an immediate read
 * regularly shows the previous offset, which is why the router trusts `committedNext` first.
 */
async function groupOffset(partition: number, expected: string): Promise<string | undefined> {
  let offset: string | undefined;
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [source] });
    offset = offsets?.partitions.find((p) => p.partition === partition)?.offset;
    if (offset === expected) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return offset;
}

beforeAll(async () => {
  kafka = createKafka({
    auth: testKafkaAuth(),
    clientId: 'ptx-test',
    brokers: testStackEnv().KAFKA_BROKERS.split(','),
    logger,
  });
  admin = kafka.admin();
  await admin.connect();
  await ensureTopics(
    admin,
    [
      { topic: source, numPartitions: 2 },
      { topic: output, numPartitions: 1 },
    ],
    { replicationFactor: 1 },
  );
  transactions = createPartitionTransactions(kafka, { groupId, transactionTimeoutMs: 30_000, logger });
});

afterAll(async () => {
  await transactions.close();
  await admin.deleteGroups([groupId]).catch(() => undefined);
  await admin.deleteTopics({ topics: [source, output] }).catch(() => undefined);
  await admin.disconnect();
});

describe('partition transactions', () => {
  it("begins a partition's next batch only once the one in progress has ended, and knows what it committed", async () => {
    const first = await transactions.begin(source, 0);
    await first.publish([record('first')]);
    let second: PartitionTransaction | null = null;
    const secondBegun = transactions.begin(source, 0).then((t) => {
      second = t;
      return t;
    });
    // The other partition is not held up by this one.
    const other = await transactions.begin(source, 1);
    await other.commit('1');
    expect(second).toBeNull();

    await first.commit('5');
    expect(transactions.committedNext(source, 0)).toBe(5n);
    // A restarted consumer's fetch from a stale group offset: the records up to 4 were handled and committed.
    const refetched = {
      topic: source,
      partition: 0,
      messages: ['3', '4', '5', '6'].map((offset) => ({ offset })),
    };
    expect(notCommittedYet(transactions, refetched).map((m) => m.offset)).toEqual(['5', '6']);
    expect(notCommittedYet(transactions, { ...refetched, partition: 1 })).toHaveLength(4);
    const next = await secondBegun;
    await next.publish([record('second')]);
    await next.commit('9');
    expect(transactions.committedNext(source, 0)).toBe(9n);
    expect(transactions.committedNext(source, 1)).toBe(1n);
    expect(await groupOffset(0, '9')).toBe('9');
    expect(await committedValues(2)).toEqual(['first', 'second']);
  });

  it('lets a transaction in progress finish across a rebalance; the next batch initialises a new producer', async () => {
    const during = await transactions.begin(source, 0);
    await during.publish([record('during')]);
    transactions.reset();
    await during.commit('12');
    const after = await transactions.begin(source, 0);
    await after.publish([record('after')]);
    await after.commit('15');
    expect(await groupOffset(0, '15')).toBe('15');
    expect(await committedValues(4)).toEqual(['first', 'second', 'during', 'after']);
  });

  it('after a failed batch, the partition goes on with a new producer and nothing of the failed one is read', async () => {
    const failed = await transactions.begin(source, 1);
    await failed.publish([record('aborted')]);
    await failed.abort();
    const retried = await transactions.begin(source, 1);
    await retried.publish([record('retried')]);
    await retried.commit('3');
    expect(transactions.committedNext(source, 1)).toBe(3n);
    expect(await committedValues(5)).toEqual(['first', 'second', 'during', 'after', 'retried']);
  });

  it("adds the partitions the last transaction wrote to while the batch is processed: the commit's send is a Produce", async () => {
    const requests: string[] = [];
    const spied = createPartitionTransactions(spyRequests(kafka, requests), {
      groupId: `${groupId}-spied`,
      transactionTimeoutMs: 30_000,
      logger,
    });
    try {
      const first = await spied.begin(source, 0);
      await first.publish([record('learnt')]);
      await first.commit('1');
      const second = await spied.begin(source, 0);
      await until(() => requests.filter((name) => name === 'AddPartitionsToTxn').length === 2);
      const atCommit = requests.length;
      await second.publish([record('predicted')]);
      await second.commit('2');
      expect(requests.slice(atCommit).sort()).toEqual(['EndTxn', 'Produce', 'TxnOffsetCommit']);
      expect(await committedValues(7)).toEqual([
        'first',
        'second',
        'during',
        'after',
        'retried',
        'learnt',
        'predicted',
      ]);
    } finally {
      await spied.close();
      await admin.deleteGroups([`${groupId}-spied`]).catch(() => undefined);
    }
  });

  it('a predicted partition whose topic was deleted fails one batch, not the next ones', async () => {
    const gone = `test-ptx-${run}-gone`;
    await ensureTopics(admin, [{ topic: gone, numPartitions: 1 }], { replicationFactor: 1 });
    const first = await transactions.begin(source, 1);
    await first.publish([{ topic: gone, key: 'k', value: { value: 'to a topic deleted next' } }]);
    await first.commit('4');
    await admin.deleteTopics({ topics: [gone] });
    // Gone from the broker's metadata, which the transaction coordinator checks an added partition against.
    for (let listed = true; listed; ) listed = (await admin.listTopics()).includes(gone);
    const failed = await transactions.begin(source, 1);
    await failed.publish([record('refused')]);
    await expect(failed.commit('5')).rejects.toThrow();
    await failed.abort();
    const retried = await transactions.begin(source, 1);
    await retried.publish([record('after the deletion')]);
    await retried.commit('5');
    expect(transactions.committedNext(source, 1)).toBe(5n);
    expect(await committedValues(8)).toEqual([
      ...['first', 'second', 'during', 'after', 'retried', 'learnt', 'predicted'],
      'after the deletion',
    ]);
  });
});

/** `kafka` whose producers append the name of every request they complete to `requests`. */
function spyRequests(kafka: Kafka, requests: string[]): Kafka {
  const producer: Kafka['producer'] = (config) => {
    const created = kafka.producer(config);
    created.on(created.events.REQUEST, (event) => requests.push(event.payload.apiName));
    return created;
  };
  return Object.assign(Object.create(kafka) as Kafka, { producer });
}

async function until(condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 10_000; !condition(); ) {
    if (Date.now() > deadline) throw new Error('condition not met in 10 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
