import { readableValues } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import { type NotificationEvent, notificationEvent } from '@wa-broker/shared/notifications';
import type { Consumer } from 'kafkajs';

export interface EventsConsumerDeps {
  consumer: Consumer;
  topic: string;
  apply: (events: NotificationEvent[]) => Promise<number>;
  logger: Logger;
}

/** Reads `notification-events` back into PostgreSQL; a batch is committed after it is stored. */
export async function startEventsConsumer(deps: EventsConsumerDeps): Promise<void> {
  await deps.consumer.subscribe({ topic: deps.topic, fromBeginning: true });
  await deps.consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      const events = readableValues(batch.messages, notificationEvent, (message) =>
        deps.logger.warn(
          { topic: batch.topic, partition: batch.partition, offset: message.offset },
          'unreadable notification event skipped',
        ),
      );
      const applied = await deps.apply(events);
      deps.logger.debug({ events: events.length, applied }, 'notification events applied');
      resolveOffset(batch.lastOffset());
      await heartbeat();
    },
  });
}
