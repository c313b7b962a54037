import { createIdempotentProducer } from '@wa-broker/shared/idempotent-producer';
import {
  createKafka,
  createReadCommittedConsumer,
  ensureTopics,
  kafkaConnection,
  type TopicSpec,
} from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import { createKafkaPublisher } from '../adapters/publisher.kafka.js';
import { groupTiming, type RouterConfig } from '../config.js';

/** The router's Kafka client, admin, plain producer and topic creation: what every other wiring shares. */
export function createKafkaWiring(config: RouterConfig, logger: Logger) {
  const kafka = createKafka({
    ...kafkaConnection(config),
    clientId: config.KAFKA_CLIENT_ID ?? 'router',
    logger,
  });
  const admin = kafka.admin();
  // Idempotent with acks=all: a produce retried after a broker died is never written twice to an agent's -in
  // (a new producer id after the broker rejects its sequence: see createIdempotentProducer).
  const producer = createIdempotentProducer(
    kafka,
    { allowAutoTopicCreation: false, maxInFlightRequests: 1 },
    logger,
  );
  const topicSpec = (topic: string): TopicSpec => ({ topic, numPartitions: config.KAFKA_PARTITIONS });
  return {
    kafka,
    admin,
    producer,
    publish: createKafkaPublisher(producer),
    /** Broker auto-create is off: every topic the router reads or writes is created first. */
    prepareTopics: (topics: string[]) =>
      ensureTopics(admin, topics.map(topicSpec), { replicationFactor: config.KAFKA_REPLICATION_FACTOR }),
    /** A read_committed consumer of `groupId`; an idle fetch waits at most 1 s (kafkajs: 5 s), so stop() is quick. */
    consumer: (groupId: string) =>
      createReadCommittedConsumer(kafka, { groupId, maxWaitTimeInMs: 1000, ...groupTiming(config) }),
  };
}
export type KafkaWiring = ReturnType<typeof createKafkaWiring>;
