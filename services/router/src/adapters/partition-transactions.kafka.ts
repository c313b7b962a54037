import type { Logger } from '@wa-broker/shared/logger';
import type { Kafka, Producer, RecordMetadata, Transaction } from 'kafkajs';
import { commitLogMessage } from './commit-log.kafka.js';
import { encodeRecords, type OutRecord } from './publisher.kafka.js';

/** One Kafka transaction for the records derived from one consumed batch, and that batch's offset. */
export interface PartitionTransaction {
  /** Adds records to the transaction; they are sent at commit, in one request with the commit log's record. */
  publish(records: readonly OutRecord[]): Promise<void>;
  /** Commits the records together with the consumed offset `nextOffset` (last handled + 1). */
  commit(nextOffset: string): Promise<void>;
  /**
   * Ends the transaction without committing (always call it after a failure: the partition's next batch waits
   * for it). Nothing published and no offsets: nothing is sent to Kafka.
   */
  abort(): Promise<void>;
}

export interface PartitionTransactions {
  /** Waits until this process's previous transaction of the partition has ended, then begins the next. */
  begin(topic: string, partition: number): Promise<PartitionTransaction>;
  /**
   * The offset after the last batch this process committed for the partition (null when none): known for sure,
   * unlike the group's committed offset, which a fetch can read from before the commit reached the group.
   */
  committedNext(topic: string, partition: number): bigint | null;
  /** After a rebalance: every partition's producer is initialised again before its next batch (fencing). */
  reset(): void;
  close(): Promise<void>;
}

/** What this process holds for one consumed topic-partition. */
interface Slot {
  producer: Promise<Producer> | null;
  /** The producer's transaction state is unknown or it may be fenced: initialise a new one first. */
  stale: boolean;
  /** Settles when the transaction in progress has ended (committed, or aborted after a failure). */
  turn: Promise<void>;
  committedNext: bigint | null;
  /** The partitions the last committed transaction wrote to: the next one adds them while its batch is processed. */
  written: TopicPartitions[];
}

type TopicPartitions = { topic: string; partitions: number[] };

/**
 * Consume → decide → produce in Kafka transactions, one transactional producer per consumed topic-partition
 * (`<group>:<topic>:<partition>`). The id follows the partition, not the process: when another router takes the
 * partition over, its first transaction initialises the same id, which aborts whatever a crashed owner left open
 * (no 60 s stall of read_committed consumers) and fences a zombie owner out.
 *
 * One transaction per partition at a time in this process, even across consumer restarts: kafkajs restarts a
 * crashed consumer without waiting for the batches still running (its stop() sees the runner already stopped),
 * so a partition's next batch can start while the previous one is still committing. Serialised, the later batch
 * sees how the earlier one ended; and after a failure, the producer is initialised again before the next batch,
 * which waits for a commit the coordinator already accepted to complete, or aborts a transaction it did not.
 */
export function createPartitionTransactions(
  kafka: Kafka,
  settings: {
    groupId: string;
    transactionTimeoutMs: number;
    logger: Logger;
    /** The group's commit log (commit-log.kafka.ts): each commit also writes its offset there. */
    commitLog?: string;
  },
): PartitionTransactions {
  const slots = new Map<string, Slot>();
  const slotOf = (id: string): Slot => {
    let slot = slots.get(id);
    if (!slot) {
      slot = { producer: null, stale: false, turn: Promise.resolve(), committedNext: null, written: [] };
      slots.set(id, slot);
    }
    return slot;
  };
  const connect = async (transactionalId: string) => {
    const producer = kafka.producer({
      transactionalId,
      idempotent: true,
      // More than one request on the connection, so a commit's TxnOffsetCommit overlaps its Produce. Still at
      // most one Produce in flight: one send per transaction, one transaction at a time per producer (slot.turn),
      // and a send's retry waits for all of its requests (patches/kafkajs@2.2.4.patch, sendMessages.js).
      maxInFlightRequests: 5,
      allowAutoTopicCreation: false,
      transactionTimeout: settings.transactionTimeoutMs,
    });
    await producer.connect();
    return producer;
  };
  const disconnect = async (producer: Promise<Producer> | null) => {
    await producer?.then((p) => p.disconnect()).catch(() => undefined);
  };
  /** A producer whose transactions this process can trust: a new one after a failure or a rebalance. */
  const producerFor = async (id: string, slot: Slot): Promise<Producer> => {
    if (slot.stale) {
      const old = slot.producer;
      slot.producer = null;
      slot.stale = false;
      await disconnect(old);
    }
    slot.producer ??= connect(id);
    return slot.producer;
  };
  return {
    async begin(topic, partition) {
      const id = `${settings.groupId}:${topic}:${partition}`;
      const slot = slotOf(id);
      const previous = slot.turn;
      let end!: () => void;
      slot.turn = new Promise<void>((resolve) => {
        end = resolve;
      });
      await previous;
      let transaction: Transaction;
      try {
        // The first transaction of a producer initialises its id (InitProducerId): fencing happens here.
        transaction = await (await producerFor(id, slot)).transaction();
      } catch (error) {
        slot.stale = true;
        end();
        throw error;
      }
      // Every batch commits its consumed offset: the group's offsets partition joins the transaction now, while
      // the batch is processed (patches/kafkajs@2.2.4.patch; sendOffsets skips its own AddOffsetsToTxn then).
      // The partitions the last transaction wrote to join too (AddPartitionsToTxn, after the offsets': the coordinator
      // answers one request of a transaction at a time), so the commit's send is a Produce only. One it will not
      // write to costs a marker at the end; one it writes to that was not added is added by the send, as before.
      const predicted = slot.written;
      const added = transaction
        .addOffsetsGroup(settings.groupId)
        .then(() => (predicted.length > 0 ? addPredicted(transaction, predicted, slot) : undefined));
      added.catch(() => undefined); // awaited by commit and abort; not an unhandled rejection meanwhile
      // A failed step leaves the transaction's outcome unknown (fenced, broker gone, answer lost).
      const guard = async <T>(step: () => Promise<T>): Promise<T> => {
        try {
          return await step();
        } catch (error) {
          slot.stale = true;
          throw error;
        }
      };
      // Published with the commit log's record in one request at commit (no extra round trip per batch).
      let published: readonly OutRecord[] = [];
      return {
        publish: async (records) => {
          published = [...published, ...records];
        },
        commit: (nextOffset) =>
          guard(async () => {
            const topicMessages = encodeRecords(published);
            if (settings.commitLog)
              topicMessages.push({
                topic: settings.commitLog,
                messages: [commitLogMessage(topic, partition, nextOffset)],
              });
            await added;
            // The group's offsets partition and the predicted partitions are in (sent while the batch was
            // processed): the TxnOffsetCommit runs alongside the Produce, then EndTxn. 2 round trips after
            // processing instead of 5 when the prediction holds (3 when the batch writes somewhere new).
            const sent =
              topicMessages.length > 0 ? transaction.sendBatch({ acks: -1, topicMessages }) : undefined;
            await settledInOrder([
              sent,
              transaction.sendOffsets({
                consumerGroupId: settings.groupId,
                topics: [{ topic, partitions: [{ partition, offset: nextOffset }] }],
              }),
            ]);
            await transaction.commit();
            slot.written = writtenPartitions((await sent) ?? []);
            const next = BigInt(nextOffset);
            if (slot.committedNext === null || next > slot.committedNext) slot.committedNext = next;
            end();
          }),
        abort: async () => {
          // Not while the AddOffsetsToTxn or AddPartitionsToTxn is in flight (the coordinator would refuse the EndTxn
          // as concurrent).
          await added.catch(() => {
            slot.stale = true;
          });
          if (transaction.isActive())
            await transaction.abort().catch((err: unknown) => {
              slot.stale = true;
              settings.logger.warn({ err, topic, partition }, 'transaction abort failed; producer replaced');
            });
          end();
        },
      };
    },
    committedNext(topic, partition) {
      return slots.get(`${settings.groupId}:${topic}:${partition}`)?.committedNext ?? null;
    },
    reset() {
      for (const slot of slots.values()) slot.stale = true;
    },
    async close() {
      const producers = [...slots.values()].map((slot) => slot.producer);
      slots.clear();
      await Promise.all(producers.map(disconnect));
    },
  };
}

/**
 * Adds the predicted partitions. A failure forgets the prediction (a deleted topic must not fail every next
 * batch too) and fails the transaction like any other step: it is aborted and its batch replayed.
 */
async function addPredicted(
  transaction: Transaction,
  predicted: TopicPartitions[],
  slot: Slot,
): Promise<void> {
  try {
    await transaction.addPartitions(predicted);
  } catch (error) {
    slot.written = [];
    throw error;
  }
}

/** Where a send's records went, per topic. */
function writtenPartitions(sent: readonly RecordMetadata[]): TopicPartitions[] {
  const byTopic = new Map<string, Set<number>>();
  for (const { topicName, partition } of sent)
    byTopic.set(topicName, (byTopic.get(topicName) ?? new Set()).add(partition));
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions: [...partitions] }));
}

/**
 * The batch's records this process has not committed yet, read after `begin` (which waits for the previous
 * transaction). A consumer kafkajs restarted fetches from the group's committed offset, which can still show
 * the offset before this process's last commit: those records were handled, their output is committed.
 */
export function notCommittedYet<M extends { offset: string }>(
  transactions: PartitionTransactions,
  batch: { topic: string; partition: number; messages: M[] },
): M[] {
  const committed = transactions.committedNext(batch.topic, batch.partition);
  return committed === null ? batch.messages : batch.messages.filter((m) => BigInt(m.offset) >= committed);
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

/**
 * Waits for every step (a failed one does not leave the others running unobserved: the transaction is aborted
 * next, and must not overlap them), then throws the first failure in order.
 */
async function settledInOrder(steps: readonly (Promise<unknown> | undefined)[]): Promise<void> {
  const results = await Promise.allSettled(steps);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}
