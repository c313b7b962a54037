import { readableValues, subscribeWithRetry } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import { messageCostEvent } from '@wa-broker/shared/pricing';
import type { Consumer } from 'kafkajs';
import type { CostService } from '../domain/cost-service.js';

/**
 * Reads the router's `message-costs` records (its own group, read_committed: the router writes them in
 * transactions) and folds each fetched batch into its wamids' rows in one transaction; the offset moves once
 * the rows are committed. A new group starts at the beginning: every send the topic still holds is reported,
 * and a replay changes nothing.
 */
export async function startMessageCosts(deps: {
  consumer: Consumer;
  topic: string;
  costs: CostService;
  logger: Logger;
}): Promise<void> {
  await subscribeWithRetry(deps.consumer, { topic: deps.topic, fromBeginning: true });
  await deps.consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      const events = readableValues(batch.messages, messageCostEvent, (message) =>
        deps.logger.warn(
          { topic: deps.topic, partition: batch.partition, offset: message.offset },
          'unreadable cost record',
        ),
      );
      await deps.costs.record(events);
      resolveOffset(batch.lastOffset());
      await heartbeat();
    },
  });
}
