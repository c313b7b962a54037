import { agentInboundEvent } from '@wa-broker/shared/agent-inbound';
import { agentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { decodeJson } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import { WebhookEvent } from '@wa-broker/shared/webhook-events';
import type { Consumer, KafkaMessage } from 'kafkajs';
import { z } from 'zod';
import type { AgentDirectory } from '../adapters/agent-directory.js';
import {
  type ConversationEvent,
  fromAgentInEvent,
  fromAgentOutMessage,
  fromRouterOutMessage,
  fromWebhookEvent,
} from '../domain/conversation-event.js';

/** The router's own messages (services/router handlers/router-out.ts), read loosely: only what the log shows. */
const routerOutMessage = z.object({
  waID: z.string().min(1),
  idempotency_key: z.string().min(1),
  body: z.looseObject({ type: z.string() }),
});

export interface ConversationLogDeps {
  webhookTopic: string;
  routerOutTopic: string;
  directory: AgentDirectory;
  append: (events: ConversationEvent[]) => Promise<number>;
  logger: Logger;
}

/** One Kafka record as a log line, by the topic it came from; null when it is not part of a conversation. */
export function toConversationEvent(
  deps: ConversationLogDeps,
  topic: string,
  partition: number,
  message: KafkaMessage,
): ConversationEvent | null {
  const value = decodeJson(message.value);
  const at = new Date(Number(message.timestamp));
  if (topic === deps.webhookTopic) {
    const parsed = WebhookEvent.safeParse(value);
    return parsed.success ? fromWebhookEvent(parsed.data, topic) : null;
  }
  if (topic === deps.routerOutTopic) {
    const parsed = routerOutMessage.safeParse(value);
    return parsed.success ? fromRouterOutMessage(parsed.data, { source: topic, at }) : null;
  }
  const outOf = deps.directory.byOutTopic(topic);
  if (outOf) {
    const parsed = agentOutboundMessage.safeParse(value);
    const offsetId = `${topic}:${partition}:${message.offset}`;
    return parsed.success
      ? fromAgentOutMessage(parsed.data, { agent: outOf.id, source: topic, offsetId, at })
      : null;
  }
  const parsed = agentInboundEvent.safeParse(value);
  return parsed.success ? fromAgentInEvent(parsed.data, topic) : null;
}

/**
 * Reads the webhook topic, router-out and every agent's `-in`/`-out` into the call-event log. A batch is
 * committed after it is stored; records that are no conversation event (system errors, unreadable values) are
 * skipped, since the router parks and reports those already.
 */
export async function startConversationLogConsumer(
  consumer: Consumer,
  topics: string[],
  deps: ConversationLogDeps,
): Promise<void> {
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      const events = batch.messages
        .map((message) => toConversationEvent(deps, batch.topic, batch.partition, message))
        .filter((event): event is ConversationEvent => event !== null);
      const stored = await deps.append(events);
      deps.logger.debug({ topic: batch.topic, events: events.length, stored }, 'conversation events stored');
      resolveOffset(batch.lastOffset());
      await heartbeat();
    },
  });
}
