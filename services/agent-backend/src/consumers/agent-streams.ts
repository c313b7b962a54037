import { type AgentEvent, type AgentTopics, createAgent } from '@wa-broker/agent-sdk';
import type { Logger } from '@wa-broker/shared/logger';
import type { ServerFrame } from '@wa-broker/shared/operator-protocol';
import type { Kafka } from 'kafkajs';
import type { Metrics } from '../adapters/metrics.prom.js';
import type { EventPlan } from '../domain/events.js';
import { type InboxStores, recordEvent } from '../domain/inbox.js';
import { planAgentError } from '../domain/plan-error.js';
import { planInbound } from '../domain/plan-inbound.js';
import type { PushedReplies } from '../domain/ports.js';
import { relayReply } from '../domain/reply-relay.js';

export interface AgentStreamsDeps {
  kafka: Kafka;
  agentName: string;
  topics: AgentTopics;
  /** `<prefix>-store` is shared by all instances; `<prefix>-push-<instanceId>` is this instance's own. */
  groupPrefix: string;
  instanceId: string;
  replicationFactor: number;
  stores: InboxStores;
  /** Replies already pushed on this instance (by the operator request or an earlier `-out` record). */
  pushed: PushedReplies;
  broadcast: (frame: ServerFrame) => void;
  /** After the store group wrote an event (once per event across instances): reopen, auto-assign. */
  onStored?: (plan: EventPlan) => Promise<void>;
  logger: Logger;
  metrics: Metrics;
}

/** The frames that tell operators about an event: the new bubble and/or a reply's new status. */
export function framesFor(plan: EventPlan): ServerFrame[] {
  const frames: ServerFrame[] = [];
  if (plan.moved) frames.push({ v: 1, type: 'conversation_moved', ...plan.moved });
  if (plan.message) {
    const { name, window_expires_at } = plan.conversation;
    const conversation = { ...(name ? { name } : {}), window_expires_at };
    frames.push({ v: 1, type: 'message', message: plan.message, conversation });
  }
  if (plan.status) {
    const { wa_id, message_id, wamid, status, error, timestamp } = plan.status;
    frames.push({ v: 1, type: 'status', wa_id, message_id, wamid, status, error, timestamp });
  }
  if (plan.mediaStored) frames.push({ v: 1, type: 'media_stored', ...plan.mediaStored });
  return frames;
}

// The raw events, not the SDK's typed views: the planners take the contract event, including a media type
// without its `media` (still stored, with its text), which has no typed view.
const planOf = (raw: AgentEvent): EventPlan =>
  raw.source === 'in' ? planInbound(raw.event) : planAgentError(raw.event);
const kindOf = (raw: AgentEvent): string => (raw.source === 'in' ? raw.event.type : 'error');

/**
 * Two SDK agents on the same topics: `store` (one group shared by all instances, so each event is written to
 * Mongo by one of them) and `push` (a group per instance starting at the topics' ends, so every instance relays
 * every event to its own operators; history comes from Mongo). Replies go out through the store agent's sender;
 * the push agent also reads them back from `-out` to push those sent on other instances.
 */
export function agentStreams(deps: AgentStreamsDeps) {
  const count = (stream: string, kind: string, outcome: string) =>
    deps.metrics.eventsConsumed.inc({ stream, kind, outcome });
  const agentFor = (stream: 'store' | 'push') =>
    createAgent({
      agent: deps.agentName,
      kafka: deps.kafka,
      topics: deps.topics,
      groupId: `${deps.groupPrefix}-${stream}`,
      ...(stream === 'push' ? { delivery: 'every-instance' as const, instanceId: deps.instanceId } : {}),
      consumer: {
        sessionTimeout: 6_000,
        heartbeatInterval: 1_000,
        maxWaitTimeInMs: 1_000,
        retry: { retries: 10 },
      },
      // One request in flight: a retried send cannot overtake a later reply to the same user.
      producer: { maxInFlightRequests: 1 },
      // The store agent creates the topics; the push agent starts after it (two creators race and log errors).
      createTopics: stream === 'store' ? { replicationFactor: deps.replicationFactor } : false,
      logger: deps.logger.child({ component: `${stream}-consumer` }),
      onUnreadable: (where) => count(stream, where.topic === deps.topics.in ? 'in' : 'error', 'skipped'),
    });
  const store = agentFor('store').onEvent(async (raw) => {
    const plan = planOf(raw);
    await recordEvent(deps.stores, plan); // Mongo failing throws: the SDK reads the event again
    await deps.onStored?.(plan);
    count('store', kindOf(raw), 'stored');
  });
  const push = agentFor('push')
    .onEvent((raw) => {
      for (const frame of framesFor(planOf(raw))) deps.broadcast(frame);
      count('push', kindOf(raw), 'pushed');
    })
    // Replies sent by operators on other instances: read back from `-out`, the bubble from Mongo.
    .onOutbound(async (outbound, { logger }) => {
      try {
        const decision = await relayReply({ messages: deps.stores.messages, pushed: deps.pushed }, outbound);
        if (decision.kind === 'push') deps.broadcast({ v: 1, type: 'message', message: decision.message });
        count('push', 'reply', decision.kind === 'push' ? 'pushed' : decision.reason);
      } catch (error) {
        // Live push is best effort (history has it): a Mongo hiccup must not stall the push stream.
        logger.warn({ err: error }, 'reply relay failed');
        count('push', 'reply', 'failed');
      }
    });
  const started = new Set<string>();

  return {
    send: store.send,
    /** Creates the topics and resolves once both agents have joined their groups. */
    async start() {
      await store.start();
      started.add('store');
      await push.start();
      started.add('push');
    },
    isRunning: () => started.size === 2,
    stopPush: () => push.stop(),
    /** Last: its producer publishes the operators' replies. */
    stopStore: () => store.stop(),
  };
}
