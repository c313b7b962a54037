import type { Logger } from '@wa-broker/shared/logger';
import { commitLogTopic, createCommitLogReader, prepareCommitLog } from '../adapters/commit-log.kafka.js';
import { committedOffsetOf, committedOffsetReader } from '../adapters/committed-offsets.kafka.js';
import { trackConsumerLag } from '../adapters/consumer-lag.kafka.js';
import { createPartitionTransactions } from '../adapters/partition-transactions.kafka.js';
import type { RouterStore } from '../adapters/router-store.redis.js';
import type { RouterConfig } from '../config.js';
import type { Agent } from '../domain/agent.js';
import type { MenuTexts } from '../domain/menu.js';
import type { Clock, NumberDirectory } from '../domain/ports.js';
import type { RouterTexts } from '../domain/session.js';
import { type ConsumedBatch, routeInboundBatch } from '../handlers/inbound-batch.js';
import type { Metrics } from '../handlers/metrics.js';
import { startInboundConsumer } from './inbound.consumer.js';
import type { KafkaWiring } from './kafka-wiring.js';

export interface InboundWiring {
  kafka: KafkaWiring;
  config: RouterConfig;
  store: RouterStore;
  agents: () => Agent[];
  numbers: NumberDirectory;
  texts: RouterTexts & MenuTexts;
  metrics: Metrics;
  logger: Logger;
  now: Clock;
}

/** The webhook consumer: one Kafka transaction per batch and partition (README "Exactly once"). */
export function createInbound(w: InboundWiring) {
  const { config, kafka } = w;
  const consumer = kafka.consumer(config.INBOUND_GROUP_ID);
  trackConsumerLag(consumer, config.INBOUND_GROUP_ID, w.metrics.lag);
  const commitLog = commitLogTopic(config.INBOUND_GROUP_ID);
  const transactions = createPartitionTransactions(kafka.kafka, {
    groupId: config.INBOUND_GROUP_ID,
    transactionTimeoutMs: config.KAFKA_TRANSACTION_TIMEOUT_MS,
    logger: w.logger,
    commitLog,
  });
  const known = (topic: string, partition: number) => transactions.committedNext(topic, partition);
  const groupOffsetSettled = committedOffsetReader(kafka.admin, config.INBOUND_GROUP_ID, { known });
  const groupOffsetNow = committedOffsetReader(kafka.admin, config.INBOUND_GROUP_ID, { known, settleMs: 0 });
  const logOffset = createCommitLogReader(kafka.kafka, kafka.admin, {
    logTopic: commitLog,
    groupId: config.INBOUND_GROUP_ID,
  });
  return {
    /** Joins the group at once (joins take seconds) but routes nothing before `agentsLoaded`. */
    async start(agentsLoaded: Promise<void>): Promise<void> {
      await prepareCommitLog(kafka.admin, {
        logTopic: commitLog,
        sourceTopic: config.WEBHOOK_TOPIC,
        replicationFactor: config.KAFKA_REPLICATION_FACTOR,
      });
      const deps = {
        store: w.store,
        agents: w.agents,
        texts: w.texts,
        routerOutTopic: config.ROUTER_OUT_TOPIC,
        deadLetterTopic: config.DEAD_LETTER_TOPIC,
        numbers: w.numbers,
        messageCostsTopic: config.MESSAGE_COSTS_TOPIC,
        committedOffset: committedOffsetOf({ logOffset, groupOffsetNow, groupOffsetSettled }),
        metrics: w.metrics,
        logger: w.logger,
        now: w.now,
      };
      const routeBatch = async (batch: ConsumedBatch) => {
        await agentsLoaded;
        return routeInboundBatch(batch, deps);
      };
      return startInboundConsumer({
        consumer,
        topic: config.WEBHOOK_TOPIC,
        transactions,
        checkpointKey: (topic, partition) =>
          w.store.key('checkpoint', config.INBOUND_GROUP_ID, topic, String(partition)),
        routeBatch,
        metrics: w.metrics,
        deadLetterTopic: config.DEAD_LETTER_TOPIC,
        logger: w.logger,
      });
    },
    /** The consumer first (it finishes its batch and commits), the transactional producers after everything. */
    stopConsumer: () => consumer.disconnect(),
    closeTransactions: () => transactions.close(),
  };
}
