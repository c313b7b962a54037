import { decodeJson, subscribeWithRetry } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import {
  replayHeaders,
  type WebhookEvent,
  WebhookEvent as webhookEvent,
} from '@wa-broker/shared/webhook-events';
import type { Consumer, KafkaMessage } from 'kafkajs';
import type { Metrics } from '../handlers/metrics.js';

export interface InboundConsumerDeps {
  consumer: Consumer;
  topic: string;
  /** `rebuildOnly`: events a `pnpm replay --rebuild-state` re-derived; state is rebuilt, nothing is sent. */
  handleBatch: (events: WebhookEvent[], options: { rebuildOnly: boolean }) => Promise<void>;
  parkPoison: (topic: string, partition: number, offset: string, value: Buffer | null) => Promise<void>;
  metrics: Metrics;
  logger: Logger;
}

/**
 * Transport only: decode a batch, hand it over, then resolve. Offsets are committed at most once a second, not
 * after every batch (kafkajs' autoCommit): the commit round trip sat between every batch and the next fetch.
 * A crash or rebalance replays up to a second of events, which the wamid dedup drops. A thrown error replays
 * the batch.
 */
export async function startInboundConsumer(deps: InboundConsumerDeps): Promise<void> {
  await subscribeWithRetry(deps.consumer, { topic: deps.topic, fromBeginning: true });
  await deps.consumer.run({
    eachBatchAutoResolve: false,
    autoCommit: false,
    autoCommitInterval: 1000,
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      // Consecutive events of one mode are handled together; per-user order holds across the runs.
      let run: { rebuildOnly: boolean; events: WebhookEvent[] } = { rebuildOnly: false, events: [] };
      for (const message of batch.messages) {
        const rebuildOnly = isRebuildOnly(message);
        if (rebuildOnly !== run.rebuildOnly) {
          if (run.events.length > 0) await deps.handleBatch(run.events, { rebuildOnly: run.rebuildOnly });
          run = { rebuildOnly, events: [] };
        }
        const parsed = webhookEvent.safeParse(decodeJson(message.value));
        if (parsed.success) run.events.push(parsed.data);
        else await deps.parkPoison(batch.topic, batch.partition, message.offset, message.value);
      }
      await deps.handleBatch(run.events, { rebuildOnly: run.rebuildOnly });
      resolveOffset(batch.lastOffset());
      deps.metrics.lag.set(
        { topic: batch.topic, partition: String(batch.partition) },
        Number(batch.offsetLag()),
      );
      await commitOffsetsIfNecessary();
      await heartbeat();
    },
  });
}

function isRebuildOnly(message: KafkaMessage): boolean {
  return message.headers?.[replayHeaders.mode]?.toString() === 'rebuild-state';
}
