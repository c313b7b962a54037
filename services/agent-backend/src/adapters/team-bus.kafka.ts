import { randomUUID } from 'node:crypto';
import {
  createReadCommittedConsumer,
  decodeJson,
  encodeJson,
  ensureTopics,
  subscribeWithRetry,
} from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { TeamBus } from '../domain/ports.js';
import type { TeamEvent } from '../domain/team-events.js';

export interface TeamBusDeps {
  kafka: Kafka;
  topic: string;
  groupPrefix: string;
  instanceId: string;
  replicationFactor: number;
  logger: Logger;
  /** An event another instance published (this instance's own are applied where they happen). */
  onEvent: (event: TeamEvent) => Promise<void> | void;
}

interface Envelope {
  origin: string;
  event: TeamEvent;
}

/**
 * The instances' channel for team changes: one single-partition topic (one order for everyone), read by every
 * instance in a group of its own from the end at start — live news only; the state itself is in Mongo, which
 * every list or answer reads. MongoDB change streams would do this without a topic, but the stack's
 * mongo-java-server has none; polling a collection would add a delay and a sequence to keep.
 */
export function teamBusKafka(deps: TeamBusDeps): TeamBus & { start(): Promise<void>; stop(): Promise<void> } {
  let producer: Producer | null = null;
  let consumer: Consumer | null = null;
  // Unique per process: a restarted instance does not resume old news, it reads from now on.
  const origin = `${deps.instanceId}-${randomUUID().slice(0, 8)}`;
  const logger = deps.logger.child({ component: 'team-bus', topic: deps.topic });
  return {
    async start() {
      const admin = deps.kafka.admin();
      await admin.connect();
      try {
        await ensureTopics(admin, [{ topic: deps.topic, numPartitions: 1 }], {
          replicationFactor: deps.replicationFactor,
        });
      } finally {
        await admin.disconnect();
      }
      producer = deps.kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      consumer = createReadCommittedConsumer(deps.kafka, {
        groupId: `${deps.groupPrefix}-team-${origin}`,
        maxWaitTimeInMs: 200,
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
      });
      await consumer.connect();
      await subscribeWithRetry(consumer, { topic: deps.topic, fromBeginning: false });
      const joined = new Promise<void>((resolve) =>
        consumer?.on(consumer.events.GROUP_JOIN, () => resolve()),
      );
      await consumer.run({
        eachMessage: async ({ message }) => {
          const envelope = decodeJson(message.value) as Envelope | undefined;
          if (!envelope?.event || envelope.origin === origin) return;
          try {
            await deps.onEvent(envelope.event);
          } catch (error) {
            // Live news only (the state is in Mongo): a failed push must not stall the others.
            logger.warn(
              { err: error, kind: envelope.event.kind, offset: message.offset },
              'team event failed',
            );
          }
        },
      });
      await joined;
    },
    async publish(event) {
      if (!producer) throw new Error('team bus not started');
      await producer.send({
        topic: deps.topic,
        messages: [{ value: encodeJson({ origin, event } satisfies Envelope) }],
      });
    },
    async stop() {
      await consumer?.disconnect();
      await producer?.disconnect();
    },
  };
}
