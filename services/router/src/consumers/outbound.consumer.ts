import { subscribeWithRetry } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import type { Consumer, KafkaMessage } from 'kafkajs';
import {
  BatchFailedError,
  notCommittedYet,
  type PartitionTransactions,
} from '../adapters/partition-transactions.kafka.js';
import type { OutRecord } from '../adapters/publisher.kafka.js';
import type { Metrics } from '../handlers/metrics.js';
import type { Emit, SourceMessage } from '../handlers/outbound-message.js';

export interface OutboundConsumerDeps {
  consumer: Consumer;
  topics: string[];
  transactions: PartitionTransactions;
  handle: (message: SourceMessage, emit: Emit) => Promise<void>;
  metrics: Metrics;
  logger: Logger;
}

/**
 * One user's messages are handled in order; different users of a batch in parallel (a user waiting for their
 * pair limit does not hold up the others). What the batch produced (errors, handover events, dead letters) and
 * its offset are committed in one Kafka transaction once the whole batch is done; a failure aborts it and the
 * batch is replayed, where settled claims publish their records again (handlers/send-claim.ts).
 */
export async function startOutboundConsumer(deps: OutboundConsumerDeps): Promise<void> {
  const { consumer, transactions } = deps;
  consumer.on(consumer.events.GROUP_JOIN, () => transactions.reset());
  await subscribeWithRetry(consumer, { topics: deps.topics, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    autoCommit: false,
    partitionsConsumedConcurrently: 4,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      const transaction = await transactions.begin(batch.topic, batch.partition).catch((error: unknown) => {
        throw new BatchFailedError(error);
      });
      const messages = notCommittedYet(transactions, batch);
      if (messages.length === 0) {
        await transaction.abort();
        resolveOffset(batch.lastOffset());
        return;
      }
      const records: OutRecord[] = [];
      const emit: Emit = (produced) => void records.push(...produced);
      const beat = setInterval(() => void heartbeat().catch(() => undefined), 2000);
      try {
        // Settled, not Promise.all: the replay after a failure must not overlap users still being sent.
        const results = await Promise.allSettled(
          [...groupByKey(messages)].map(async (messages) => {
            for (const message of messages)
              await deps.handle(
                {
                  topic: batch.topic,
                  partition: batch.partition,
                  offset: message.offset,
                  value: message.value,
                },
                emit,
              );
          }),
        );
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
        await transaction.publish(records);
        await transaction.commit(String(BigInt(batch.lastOffset()) + 1n));
      } catch (error) {
        await transaction.abort();
        throw new BatchFailedError(error);
      } finally {
        clearInterval(beat);
      }
      resolveOffset(batch.lastOffset());
      deps.metrics.lag.set(
        { topic: batch.topic, partition: String(batch.partition) },
        Number(batch.offsetLag()),
      );
    },
  });
}

function groupByKey(messages: KafkaMessage[]): Iterable<KafkaMessage[]> {
  const groups = new Map<string, KafkaMessage[]>();
  for (const message of messages) {
    const key = message.key?.toString('utf8') ?? '';
    groups.set(key, [...(groups.get(key) ?? []), message]);
  }
  return groups.values();
}
