import { subscribeWithRetry } from '@wa-broker/shared/kafka';
import type { Consumer, KafkaMessage } from 'kafkajs';
import {
  BatchFailedError,
  notCommittedYet,
  type PartitionTransactions,
} from '../adapters/partition-transactions.kafka.js';
import type { OutRecord } from '../adapters/publisher.kafka.js';
import { countPublished, type Metrics } from '../handlers/metrics.js';

/** A fetched batch of one partition, reduced to the records this process has not committed yet. */
export interface PendingBatch {
  topic: string;
  partition: number;
  /** The fetched batch's last offset (a transaction marker may follow the last record). */
  lastOffset: string;
  messages: KafkaMessage[];
  heartbeat: () => Promise<void>;
}

/** What a batch produced, and the last offset it handled (its offset + 1 commits with the records). */
export interface BatchOutput {
  records: OutRecord[];
  lastOffset: string;
}

export interface TransactionalBatchesOptions {
  consumer: Consumer;
  /** Which consumer, as the metrics name it. */
  name: 'inbound' | 'outbound';
  topics: string[];
  transactions: PartitionTransactions;
  partitionsConsumedConcurrently: number;
  metrics: Metrics;
  /** Its records are counted by reason once their transaction commits (handlers/metrics.ts). */
  deadLetterTopic: string;
  /** Decides; throws to abort the transaction and have the batch replayed. */
  process: (batch: PendingBatch) => Promise<BatchOutput>;
}

/**
 * Consume → decide → produce, exactly once: one Kafka transaction per fetched batch of a partition, holding every
 * record the batch produced and its consumed offset (read_committed consumers see all of it or none of it).
 * The transaction begins before `process` reads any state: the first one of a partition after a rebalance
 * initialises its transactional id, which aborts what a crashed owner left open and fences it. A thrown error
 * aborts and replays the batch (always retriable, see BatchFailedError).
 */
export async function runTransactionalBatches(options: TransactionalBatchesOptions): Promise<void> {
  const { consumer, transactions } = options;
  // A new assignment: every partition's producer is initialised again before its next batch (fencing).
  consumer.on(consumer.events.GROUP_JOIN, () => transactions.reset());
  await subscribeWithRetry(consumer, { topics: options.topics, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    autoCommit: false,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      // Where a batch's time goes (the router's added latency is mostly these steps, one after another).
      const phases = options.metrics.batchPhase;
      let phaseStart = performance.now();
      const phaseDone = (phase: 'begin' | 'process' | 'commit') => {
        const now = performance.now();
        phases.observe({ consumer: options.name, phase }, (now - phaseStart) / 1000);
        phaseStart = now;
      };
      const transaction = await transactions.begin(batch.topic, batch.partition).catch((error: unknown) => {
        throw new BatchFailedError(error);
      });
      phaseDone('begin');
      const messages = notCommittedYet(transactions, batch);
      if (messages.length === 0) {
        await transaction.abort();
        resolveOffset(batch.lastOffset());
        return;
      }
      let output: BatchOutput;
      try {
        output = await options.process({
          topic: batch.topic,
          partition: batch.partition,
          lastOffset: batch.lastOffset(),
          messages,
          heartbeat,
        });
        phaseDone('process');
        await transaction.publish(output.records);
        await transaction.commit(String(BigInt(output.lastOffset) + 1n));
        phaseDone('commit');
      } catch (error) {
        await transaction.abort();
        throw new BatchFailedError(error);
      }
      countPublished(options.metrics, options.deadLetterTopic, output.records);
      resolveOffset(output.lastOffset);
      await heartbeat();
    },
  });
}

/** A batch's messages by Kafka key (one user each), in offset order within a key. */
export function groupByKey(messages: readonly KafkaMessage[]): Iterable<KafkaMessage[]> {
  const groups = new Map<string, KafkaMessage[]>();
  for (const message of messages) {
    const key = message.key?.toString('utf8') ?? '';
    groups.set(key, [...(groups.get(key) ?? []), message]);
  }
  return groups.values();
}
