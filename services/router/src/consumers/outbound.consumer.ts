import { subscribeWithRetry } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import type { Consumer, KafkaMessage } from 'kafkajs';
import type { Metrics } from '../handlers/metrics.js';
import type { SourceMessage } from '../handlers/outbound-message.js';

export interface OutboundConsumerDeps {
  consumer: Consumer;
  topics: string[];
  handle: (message: SourceMessage) => Promise<void>;
  metrics: Metrics;
  logger: Logger;
}

/**
 * One user's messages are handled in order; different users of a batch in parallel (a user waiting for their
 * pair limit does not hold up the others). Offsets are resolved once the whole batch is done.
 */
export async function startOutboundConsumer(deps: OutboundConsumerDeps): Promise<void> {
  await subscribeWithRetry(deps.consumer, { topics: deps.topics, fromBeginning: true });
  await deps.consumer.run({
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 4,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      const beat = setInterval(() => void heartbeat().catch(() => undefined), 2000);
      try {
        // Settled, not Promise.all: the replay after a failure must not overlap users still being sent.
        const results = await Promise.allSettled(
          [...groupByKey(batch.messages)].map(async (messages) => {
            for (const message of messages)
              await deps.handle({
                topic: batch.topic,
                partition: batch.partition,
                offset: message.offset,
                value: message.value,
              });
          }),
        );
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      } finally {
        clearInterval(beat);
      }
      resolveOffset(batch.lastOffset());
      deps.metrics.lag.set(
        { topic: batch.topic, partition: String(batch.partition) },
        Number(batch.offsetLag()),
      );
      await commitOffsetsIfNecessary();
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
