import { decodeJson, subscribeWithRetry } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import { messageCostEvent } from '@wa-broker/shared/pricing';
import type { Consumer } from 'kafkajs';
import type { CostService } from '../domain/cost-service.js';

/**
 * Reads the router's `message-costs` records (its own group, read_committed: the router writes them in
 * transactions) and folds each into its wamid's row; the offset moves once the row is committed. A new group
 * starts at the beginning: every send the topic still holds is reported, and a replay changes nothing.
 */
export async function startMessageCosts(deps: {
  consumer: Consumer;
  topic: string;
  costs: CostService;
  logger: Logger;
}): Promise<void> {
  await subscribeWithRetry(deps.consumer, { topic: deps.topic, fromBeginning: true });
  await deps.consumer.run({
    eachMessage: async ({ message, partition }) => {
      const parsed = messageCostEvent.safeParse(decodeJson(message.value));
      if (!parsed.success) {
        deps.logger.warn({ topic: deps.topic, partition, offset: message.offset }, 'unreadable cost record');
        return;
      }
      await deps.costs.record(parsed.data);
    },
  });
}
