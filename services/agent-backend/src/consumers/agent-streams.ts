import type { Logger } from '@wa-broker/shared/logger';
import type { ServerFrame } from '@wa-broker/shared/operator-protocol';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { Metrics } from '../adapters/metrics.prom.js';
import { type TopicPartitionOffset, topicEnds } from '../adapters/push-start.kafka.js';
import type { EventPlan } from '../domain/events.js';
import { type InboxStores, recordEvent } from '../domain/inbox.js';
import { planAgentError } from '../domain/plan-error.js';
import { planInbound } from '../domain/plan-inbound.js';
import { type AgentEventHandlers, joinedGroup, startAgentEventsConsumer } from './agent-events.consumer.js';

export interface AgentStreamsDeps {
  kafka: Kafka;
  topics: { in: string; error: string };
  /** Shared by all instances: each event is stored by one of them (and again, harmlessly, on redelivery). */
  storeGroup: string;
  /** This instance's own group: every instance sees every event and pushes it to its operators. */
  pushGroup: string;
  stores: InboxStores;
  broadcast: (frame: ServerFrame) => void;
  logger: Logger;
  metrics: Metrics;
}

/** The frames that tell operators about an event: the new bubble and/or a reply's new status. */
export function framesFor(plan: EventPlan): ServerFrame[] {
  const frames: ServerFrame[] = [];
  if (plan.message) {
    const { name, window_expires_at } = plan.conversation;
    const conversation = { ...(name ? { name } : {}), window_expires_at };
    frames.push({ v: 1, type: 'message', message: plan.message, conversation });
  }
  if (plan.status) {
    const { wa_id, message_id, wamid, status, error, timestamp } = plan.status;
    frames.push({ v: 1, type: 'status', wa_id, message_id, wamid, status, error, timestamp });
  }
  return frames;
}

export function agentStreams(deps: AgentStreamsDeps) {
  const consumerOptions = {
    sessionTimeout: 6_000,
    heartbeatInterval: 1_000,
    maxWaitTimeInMs: 1_000,
    retry: { retries: 10 },
  };
  const storeConsumer = deps.kafka.consumer({ groupId: deps.storeGroup, ...consumerOptions });
  const pushConsumer = deps.kafka.consumer({ groupId: deps.pushGroup, ...consumerOptions });
  const storeJoined = joinedGroup(storeConsumer);
  const pushJoined = joinedGroup(pushConsumer);
  const count = (stream: string, kind: string, outcome: string) =>
    deps.metrics.eventsConsumed.inc({ stream, kind, outcome });

  const storeHandlers: AgentEventHandlers = {
    inbound: async (event) => {
      await recordEvent(deps.stores, planInbound(event));
      count('store', event.type, 'stored');
    },
    error: async (event) => {
      await recordEvent(deps.stores, planAgentError(event));
      count('store', 'error', 'stored');
    },
  };
  const push = (plan: EventPlan) => {
    for (const frame of framesFor(plan)) deps.broadcast(frame);
  };
  const pushHandlers: AgentEventHandlers = {
    inbound: async (event) => {
      push(planInbound(event));
      count('push', event.type, 'pushed');
    },
    error: async (event) => {
      push(planAgentError(event));
      count('push', 'error', 'pushed');
    },
  };

  const start = (
    consumer: Consumer,
    handlers: AgentEventHandlers,
    stream: string,
    seekTo?: TopicPartitionOffset[],
  ) =>
    startAgentEventsConsumer({
      consumer,
      topics: deps.topics,
      handlers,
      logger: deps.logger.child({ component: `${stream}-consumer` }),
      fromBeginning: !seekTo,
      ...(seekTo ? { seekTo } : {}),
      onSkipped: (topic) => count(stream, topic === deps.topics.in ? 'in' : 'error', 'skipped'),
    });

  return {
    async start(admin: Admin) {
      const ends = await topicEnds(admin, [deps.topics.in, deps.topics.error]);
      await Promise.all([
        start(storeConsumer, storeHandlers, 'store'),
        start(pushConsumer, pushHandlers, 'push', ends),
      ]);
    },
    /** Both groups have joined and own their partitions. */
    joined: () => Promise.all([storeJoined.joined, pushJoined.joined]).then(() => undefined),
    isRunning: () => storeJoined.isJoined() && pushJoined.isJoined(),
    async stop() {
      await Promise.all([storeConsumer.disconnect(), pushConsumer.disconnect()]);
    },
  };
}
