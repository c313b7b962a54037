import { type AgentErrorEvent, agentErrorEvent } from '@wa-broker/shared/agent-errors';
import { type AgentInboundEvent, agentInboundEvent } from '@wa-broker/shared/agent-inbound';
import { decodeJson } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import type { Consumer } from 'kafkajs';

export interface AgentEventHandlers {
  inbound(event: AgentInboundEvent): Promise<void>;
  error(event: AgentErrorEvent): Promise<void>;
}

export interface AgentEventsConsumerDeps {
  consumer: Consumer;
  topics: { in: string; error: string };
  handlers: AgentEventHandlers;
  logger: Logger;
  /** The shared store group starts from the beginning; push groups only want what happens from now on. */
  fromBeginning: boolean;
  /** Where to start reading, applied right after `run` (push groups: the topics' ends at start). */
  seekTo?: readonly { topic: string; partition: number; offset: string }[];
  onSkipped: (topic: string) => void;
}

/**
 * Reads the agent's `-in` and `-error` topics and hands each valid event to its handler, resolving the offset only
 * after the handler finished. A handler that throws (Mongo down) stops the batch so kafkajs replays it.
 */
export async function startAgentEventsConsumer(deps: AgentEventsConsumerDeps): Promise<void> {
  const { consumer, topics, handlers, logger } = deps;
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.in, topics.error], fromBeginning: deps.fromBeginning });
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        const value = decodeJson(message.value);
        const where = { topic: batch.topic, partition: batch.partition, offset: message.offset };
        if (batch.topic === topics.in) {
          const parsed = agentInboundEvent.safeParse(value);
          if (parsed.success) await handlers.inbound(parsed.data);
          else skip(where, parsed.error.issues);
        } else {
          const parsed = agentErrorEvent.safeParse(value);
          if (parsed.success) await handlers.error(parsed.data);
          else skip(where, parsed.error.issues);
        }
        resolveOffset(message.offset);
        await heartbeat();
      }
    },
  });
  for (const position of deps.seekTo ?? []) consumer.seek(position);

  function skip(where: { topic: string; partition: number; offset: string }, issues: unknown[]) {
    // The router owns these topics; an event we cannot read is logged and passed, not retried forever.
    logger.warn({ ...where, issues: issues.slice(0, 5) }, 'unreadable agent event skipped');
    deps.onSkipped(where.topic);
  }
}

/** Resolves once the consumer has joined its group and got partitions (readiness, tests). */
export function joinedGroup(consumer: Consumer): { isJoined: () => boolean; joined: Promise<void> } {
  let joined = false;
  const promise = new Promise<void>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
      resolve();
    });
  });
  return { isJoined: () => joined, joined: promise };
}
