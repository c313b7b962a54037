import { decodeJson, subscribeWithRetry } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import { type WebhookEvent, WebhookEvent as webhookEvent } from '@wa-broker/shared/webhook-events';
import type { Consumer } from 'kafkajs';
import { groupByKey } from './transactional-batches.js';

export interface NotificationConsumersDeps {
  sendConsumer: Consumer;
  statusConsumer: Consumer;
  sendTopic: string;
  webhookTopic: string;
  /** Sends in flight at once per partition; small, so an agent's reply waits behind few of them. */
  concurrency: number;
  handleSend: (record: {
    topic: string;
    partition: number;
    offset: string;
    value: Buffer | null;
  }) => Promise<void>;
  handleStatuses: (events: WebhookEvent[]) => Promise<void>;
  logger: Logger;
}

/**
 * Two consumers of their own: notification sends (`notifications-send`), kept apart from the agents'
 * out-consumer so a large notification never sits in front of a reply, and the webhook topic in a group of
 * its own for the statuses of notification sends (the inbound consumer's routing stays untouched).
 */
export async function startNotificationConsumers(deps: NotificationConsumersDeps): Promise<void> {
  await subscribeWithRetry(deps.sendConsumer, { topic: deps.sendTopic, fromBeginning: true });
  await subscribeWithRetry(deps.statusConsumer, { topic: deps.webhookTopic, fromBeginning: true });
  await deps.sendConsumer.run({
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
      if (!isRunning() || isStale()) return;
      const beat = setInterval(() => void heartbeat().catch(() => undefined), 2000);
      try {
        // One user's sends in order; users in parallel, at most `concurrency` at a time.
        const queue = [...groupByKey(batch.messages)];
        const worker = async () => {
          for (let messages = queue.shift(); messages; messages = queue.shift())
            for (const message of messages)
              await deps.handleSend({
                topic: batch.topic,
                partition: batch.partition,
                offset: message.offset,
                value: message.value,
              });
        };
        const results = await Promise.allSettled(Array.from({ length: deps.concurrency }, worker));
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      } finally {
        clearInterval(beat);
      }
      resolveOffset(batch.lastOffset());
      await commitOffsetsIfNecessary();
    },
  });
  await deps.statusConsumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale()) return;
      const events: WebhookEvent[] = [];
      for (const message of batch.messages) {
        const parsed = webhookEvent.safeParse(decodeJson(message.value));
        if (parsed.success) events.push(parsed.data); // unreadable ones are parked by the inbound consumer
      }
      await deps.handleStatuses(events);
      resolveOffset(batch.lastOffset());
      await heartbeat();
    },
  });
}
