import { testKafkaConfig } from '@wa-broker/infra/test-env';
import { deleteTestTopics } from '@wa-broker/infra/test-topics';
import { Kafka, logLevel, type Producer } from 'kafkajs';

/**
 * `pnpm bench:transactions`: one consumed batch's transaction, back to back on one producer, as kafkajs sequences
 * it and as the router does (partition-transactions.kafka.ts), rounds interleaved. Kafkajs: AddPartitionsToTxn,
 * Produce, AddOffsetsToTxn, TxnOffsetCommit, EndTxn in turn. `offsets-ahead` (the router until 2026-12-03):
 * AddOffsetsToTxn while the batch is processed (3 ms here), then the TxnOffsetCommit alongside AddPartitionsToTxn +
 * Produce, then EndTxn. The router: AddOffsetsToTxn and then AddPartitionsToTxn (the last transaction's partition)
 * while the batch is processed, then the TxnOffsetCommit alongside the Produce, then EndTxn. Prints the medians and
 * p99 of the part after processing and of the whole transaction.
 */
const TRANSACTIONS = 200;
const ROUNDS = 3;
const PROCESSING_MS = 3;

type Sequence = 'kafkajs' | 'offsets-ahead' | 'router';
const kafka = new Kafka({ ...testKafkaConfig('transaction-bench'), logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const topic = `bench-transactions-${process.pid}-${Date.now()}`;
await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (values: number[], q: number) =>
  Number(([...values].sort((a, b) => a - b)[Math.floor(values.length * q)] ?? 0).toFixed(2));

async function transactions(producer: Producer, sequence: Sequence) {
  const afterProcessing: number[] = [];
  const whole: number[] = [];
  const groupId = `${topic}-group`;
  for (let n = 0; n < TRANSACTIONS; n++) {
    const started = performance.now();
    const transaction = await producer.transaction();
    const offsetsAdded =
      sequence === 'kafkajs'
        ? undefined
        : transaction
            .addOffsetsGroup(groupId)
            .then(() =>
              sequence === 'router' ? transaction.addPartitions([{ topic, partitions: [0] }]) : undefined,
            );
    await sleep(PROCESSING_MS);
    const processed = performance.now();
    const batch = {
      acks: -1,
      topicMessages: [{ topic, messages: [{ key: String(n), partition: 0, value: 'x'.repeat(300) }] }],
    };
    const offsets = {
      consumerGroupId: groupId,
      topics: [{ topic, partitions: [{ partition: 0, offset: String(n) }] }],
    };
    if (offsetsAdded) {
      await offsetsAdded;
      await Promise.all([transaction.sendBatch(batch), transaction.sendOffsets(offsets)]);
    } else {
      await transaction.sendBatch(batch);
      await transaction.sendOffsets(offsets);
    }
    await transaction.commit();
    const ended = performance.now();
    afterProcessing.push(ended - processed);
    whole.push(ended - started);
  }
  return {
    sequence,
    after_processing_p50_ms: quantile(afterProcessing, 0.5),
    after_processing_p99_ms: quantile(afterProcessing, 0.99),
    transaction_p50_ms: quantile(whole, 0.5),
  };
}

try {
  for (let round = 1; round <= ROUNDS; round++)
    for (const sequence of ['kafkajs', 'offsets-ahead', 'router'] as const) {
      const producer = kafka.producer({
        transactionalId: `${topic}-${sequence}-${round}`,
        idempotent: true,
        maxInFlightRequests: sequence === 'kafkajs' ? 1 : 5,
      });
      await producer.connect();
      console.log(JSON.stringify({ round, ...(await transactions(producer, sequence)) }));
      await producer.disconnect();
    }
} finally {
  await deleteTestTopics(admin, [topic]);
  await admin.disconnect();
}
