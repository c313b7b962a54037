import { decodeJson } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import { replayHeaders, WebhookEvent as webhookEvent } from '@wa-broker/shared/webhook-events';
import type { Consumer, KafkaMessage } from 'kafkajs';
import type { PartitionTransactions } from '../adapters/partition-transactions.kafka.js';
import type { ConsumedBatch, ConsumedEvent, RoutedBatch } from '../handlers/inbound-batch.js';
import type { Metrics } from '../handlers/metrics.js';
import { runTransactionalBatches } from './transactional-batches.js';

export interface InboundConsumerDeps {
  consumer: Consumer;
  topic: string;
  transactions: PartitionTransactions;
  /** `checkpoint:<group>:<topic>:<partition>` in Redis. */
  checkpointKey: (topic: string, partition: number) => string;
  routeBatch: (batch: ConsumedBatch) => Promise<RoutedBatch>;
  metrics: Metrics;
  deadLetterTopic: string;
  logger: Logger;
}

/** Transport only: the webhook topic's batches, routed in transactions (transactional-batches.ts). */
export async function startInboundConsumer(deps: InboundConsumerDeps): Promise<void> {
  await runTransactionalBatches({
    consumer: deps.consumer,
    topics: [deps.topic],
    transactions: deps.transactions,
    partitionsConsumedConcurrently: 3,
    metrics: deps.metrics,
    deadLetterTopic: deps.deadLetterTopic,
    process: (batch) =>
      deps.routeBatch({
        topic: batch.topic,
        partition: batch.partition,
        lastOffset: batch.lastOffset,
        events: batch.messages.map(toConsumedEvent),
        checkpointKey: deps.checkpointKey(batch.topic, batch.partition),
      }),
  });
}

function toConsumedEvent(message: KafkaMessage): ConsumedEvent {
  const parsed = webhookEvent.safeParse(decodeJson(message.value));
  if (!parsed.success) return { offset: message.offset, event: null, raw: message.value };
  const rebuildOnly = message.headers?.[replayHeaders.mode]?.toString() === 'rebuild-state';
  return { offset: message.offset, event: parsed.data, rebuildOnly };
}
