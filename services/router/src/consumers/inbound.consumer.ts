import { decodeJson, subscribeWithRetry } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import { replayHeaders, WebhookEvent as webhookEvent } from '@wa-broker/shared/webhook-events';
import type { Consumer, KafkaMessage } from 'kafkajs';
import {
  BatchFailedError,
  notCommittedYet,
  type PartitionTransactions,
} from '../adapters/partition-transactions.kafka.js';
import type { ConsumedBatch, ConsumedEvent, RoutedBatch } from '../handlers/inbound-batch.js';
import type { Metrics } from '../handlers/metrics.js';

export interface InboundConsumerDeps {
  consumer: Consumer;
  topic: string;
  transactions: PartitionTransactions;
  /** `checkpoint:<group>:<topic>:<partition>` in Redis. */
  checkpointKey: (topic: string, partition: number) => string;
  routeBatch: (batch: ConsumedBatch) => Promise<RoutedBatch>;
  metrics: Metrics;
  logger: Logger;
}

/**
 * Transport only: one Kafka transaction per fetched batch of a partition, holding every record the batch
 * produced and its consumed offset (read_committed consumers see all of it or none of it). The transaction
 * begins before the state is read: the first one of a partition after a rebalance initialises its
 * transactional id, which aborts what a crashed owner left open. A thrown error aborts and replays the batch.
 */
export async function startInboundConsumer(deps: InboundConsumerDeps): Promise<void> {
  const { consumer, transactions } = deps;
  // A new assignment: every partition's producer is initialised again before its next batch (fencing).
  consumer.on(consumer.events.GROUP_JOIN, () => transactions.reset());
  await subscribeWithRetry(consumer, { topic: deps.topic, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    autoCommit: false,
    partitionsConsumedConcurrently: 3,
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
      let routed: RoutedBatch;
      try {
        routed = await deps.routeBatch({
          topic: batch.topic,
          partition: batch.partition,
          lastOffset: batch.lastOffset(),
          events: messages.map(toConsumedEvent),
          checkpointKey: deps.checkpointKey(batch.topic, batch.partition),
        });
        await transaction.publish(routed.records);
        await transaction.commit(String(BigInt(routed.lastOffset) + 1n));
      } catch (error) {
        await transaction.abort();
        throw new BatchFailedError(error);
      }
      resolveOffset(routed.lastOffset);
      deps.metrics.lag.set(
        { topic: batch.topic, partition: String(batch.partition) },
        Number(batch.offsetLag()),
      );
      await heartbeat();
    },
  });
}

function toConsumedEvent(message: KafkaMessage): ConsumedEvent {
  const parsed = webhookEvent.safeParse(decodeJson(message.value));
  if (!parsed.success) return { offset: message.offset, event: null, raw: message.value };
  const rebuildOnly = message.headers?.[replayHeaders.mode]?.toString() === 'rebuild-state';
  return { offset: message.offset, event: parsed.data, rebuildOnly };
}
