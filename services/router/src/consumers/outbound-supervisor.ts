import type { Logger } from '@wa-broker/shared/logger';
import type { Consumer } from 'kafkajs';

export interface OutboundSupervisorDeps {
  /** The topics to consume now: every active agent's `-out` and router-out. */
  topics: () => string[];
  /** Creates any missing topic (broker auto-create is off) before subscribing. */
  prepare: (topics: string[]) => Promise<void>;
  createConsumer: () => Consumer;
  start: (consumer: Consumer, topics: string[]) => Promise<void>;
  logger: Logger;
}

/**
 * kafkajs cannot add topics to a running consumer, so when the agent set changes the out-consumer is stopped
 * (its in-flight batch finishes and commits) and a new one joins the same group with the new topic list.
 */
export function createOutboundSupervisor(deps: OutboundSupervisorDeps) {
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
    deps.logger.info({ topics }, 'outbound topics subscribed');
  };

  return {
    /** Serialised: changes arriving during a restart are applied right after it. */
    refresh(): Promise<void> {
      chain = chain
        .then(reconcile)
        .catch((error: unknown) => deps.logger.error({ err: error }, 'outbound resubscribe failed'));
      return chain;
    },
    async stop(): Promise<void> {
      stopped = true;
      await chain;
      await current?.consumer.disconnect();
    },
  };
}
