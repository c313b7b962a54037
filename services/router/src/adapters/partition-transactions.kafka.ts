import type { Logger } from '@wa-broker/shared/logger';
import type { Kafka, Producer, Transaction } from 'kafkajs';
import { encodeRecords, type OutRecord } from './publisher.kafka.js';

/** One Kafka transaction for the records derived from one consumed batch, and that batch's offset. */
export interface PartitionTransaction {
  publish(records: readonly OutRecord[]): Promise<void>;
  /** Commits the records together with the consumed offset `nextOffset` (last handled + 1). */
  commit(nextOffset: string): Promise<void>;
  abort(): Promise<void>;
}

export interface PartitionTransactions {
  begin(topic: string, partition: number): Promise<PartitionTransaction>;
  /** After a rebalance: every partition's producer is initialised again, which fences a previous owner. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Consume → decide → produce in Kafka transactions, one transactional producer per consumed topic-partition
 * (`<group>:<topic>:<partition>`). The id follows the partition, not the process: when another router takes the
 * partition over, its first transaction initialises the same id, which aborts whatever a crashed owner left open
 * (no 60 s stall of read_committed consumers) and fences a zombie owner out. kafkajs runs one transaction per
 * producer at a time, and partitions are handled concurrently, hence the pool.
 */
export function createPartitionTransactions(
  kafka: Kafka,
  settings: { groupId: string; transactionTimeoutMs: number; logger: Logger },
): PartitionTransactions {
  const producers = new Map<string, Promise<Producer>>();
  const connect = async (transactionalId: string) => {
    const producer = kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      transactionTimeout: settings.transactionTimeoutMs,
    });
    await producer.connect();
    return producer;
  };
  const drop = async (id: string) => {
    const producer = producers.get(id);
    producers.delete(id);
    await producer?.then((p) => p.disconnect()).catch(() => undefined);
  };
  return {
    async begin(topic, partition) {
      const id = `${settings.groupId}:${topic}:${partition}`;
      let pending = producers.get(id);
      if (!pending) {
        pending = connect(id);
        producers.set(id, pending);
      }
      let transaction: Transaction;
      try {
        transaction = await (await pending).transaction();
      } catch (error) {
        await drop(id);
        throw error;
      }
      // A failed step leaves kafkajs' transaction state unknown (fenced, broker gone): start over with a fresh
      // producer, whose initialisation aborts the open transaction on the coordinator.
      const guard = async <T>(step: () => Promise<T>): Promise<T> => {
        try {
          return await step();
        } catch (error) {
          await drop(id);
          throw error;
        }
      };
      return {
        publish: (records) =>
          guard(async () => {
            if (records.length > 0)
              await transaction.sendBatch({ acks: -1, topicMessages: encodeRecords(records) });
          }),
        commit: (nextOffset) =>
          guard(async () => {
            await transaction.sendOffsets({
              consumerGroupId: settings.groupId,
              topics: [{ topic, partitions: [{ partition, offset: nextOffset }] }],
            });
            await transaction.commit();
          }),
        abort: async () => {
          if (!transaction.isActive()) return;
          await transaction.abort().catch((err: unknown) => {
            settings.logger.warn({ err, topic, partition }, 'transaction abort failed; producer replaced');
          });
          await drop(id);
        },
      };
    },
    async reset() {
      await Promise.all([...producers.keys()].map(drop));
    },
    async close() {
      await Promise.all([...producers.keys()].map(drop));
    },
  };
}

/**
 * What a consumer's batch throws. kafkajs retries a batch and finally restarts its consumer only for retriable
 * errors; a transaction step that fails while the broker is away throws KafkaJSNonRetriableError ("Failed to find
 * group coordinator"), which would stop the consumer for good. Every batch failure is retried instead.
 * (Deliberately no `cause`: kafkajs reads retriability from the innermost cause.)
 */
export class BatchFailedError extends Error {
  readonly retriable = true;
  constructor(readonly failure: unknown) {
    super(`batch failed, retried: ${failure instanceof Error ? failure.message : String(failure)}`);
    this.name = 'BatchFailedError';
  }
}
