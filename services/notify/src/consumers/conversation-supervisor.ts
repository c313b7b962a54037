import type { Logger } from '@wa-broker/shared/logger';
import type { Consumer } from 'kafkajs';

export interface ConversationSupervisorDeps {
  /** The topics to read now: webhook, router-out, every known agent's `-in` and `-out`. */
  topics: () => string[];
  /** Creates missing topics (broker auto-create is off) before subscribing. */
  prepare: (topics: string[]) => Promise<void>;
  createConsumer: () => Consumer;
  start: (consumer: Consumer, topics: string[]) => Promise<void>;
  logger: Logger;
}

/**
 * kafkajs cannot add topics to a running consumer: when the agents' topics change, the consumer is stopped (its
 * batch finishes and commits) and a new one joins the same group; a new agent's topics are read from the start.
 */
export function createConversationSupervisor(deps: ConversationSupervisorDeps) {
  let current: { consumer: Consumer; key: string } | undefined;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

  const reconcile = async () => {
    const topics = [...new Set(deps.topics())].sort();
    const key = topics.join(',');
    if (stopped || current?.key === key) return;
    await deps.prepare(topics);
    if (current) await current.consumer.disconnect();
    const consumer = deps.createConsumer();
    current = { consumer, key };
    await deps.start(consumer, topics);
    deps.logger.info({ topics }, 'conversation log topics subscribed');
  };

  return {
    /** Serialised: changes arriving during a restart are applied right after it. */
    refresh(): Promise<void> {
      chain = chain
        .then(reconcile)
        .catch((error: unknown) => deps.logger.error({ err: error }, 'conversation log resubscribe failed'));
      return chain;
    },
    async stop(): Promise<void> {
      stopped = true;
      await chain;
      await current?.consumer.disconnect();
    },
  };
}
