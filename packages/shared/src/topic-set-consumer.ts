import type { Consumer } from 'kafkajs';
import type { Logger } from './logger.js';

export interface TopicSetConsumerDeps {
  /** Names the consumer in its log lines, e.g. `outbound`. */
  name: string;
  /** The topics to consume now; read on every refresh. */
  topics: () => string[];
  /** Creates any missing topic (broker auto-create is off) before subscribing. */
  prepare: (topics: string[]) => Promise<void>;
  createConsumer: () => Consumer;
  /** Subscribes and runs the consumer on these topics. */
  start: (consumer: Consumer, topics: string[]) => Promise<void>;
  logger: Logger;
}

/**
 * A consumer group member whose topic list changes at run time (an agent added or removed). kafkajs cannot add
 * topics to a running consumer, so on a change the consumer is stopped (its in-flight batch finishes and commits)
 * and a new one joins the same group with the new list. Refreshes are serialised: changes arriving during a
 * restart are applied right after it.
 */
export function createTopicSetConsumer(deps: TopicSetConsumerDeps) {
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
    deps.logger.info({ consumer: deps.name, topics }, 'topics subscribed');
  };

  return {
    refresh(): Promise<void> {
      chain = chain
        .then(reconcile)
        .catch((error: unknown) =>
          deps.logger.error({ consumer: deps.name, err: error }, 'resubscribe failed'),
        );
      return chain;
    },
    async stop(): Promise<void> {
      stopped = true;
      await chain;
      await current?.consumer.disconnect();
    },
  };
}
