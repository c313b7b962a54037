import { createLogger } from '@wa-broker/shared/logger';
import type { WebhookEvent } from '@wa-broker/shared/webhook-events';
import { TemplateCatalog } from '../adapters/template-catalog.js';
import type { Agent } from '../domain/agent.js';
import type { OutRecord } from '../domain/ports.js';
import { type InboundDeps, routeInboundBatch } from '../handlers/inbound-batch.js';
import { createMetrics } from '../handlers/metrics.js';
import type { NotificationSendDeps } from '../handlers/notification-send.js';
import { handleOutbound, type OutboundDeps } from '../handlers/outbound-message.js';
import type { SenderDeps } from '../handlers/send-with-retry.js';
import { agent, texts } from './domain-fixtures.js';
import {
  FakeClaims,
  FakeGraph,
  FakeLimiter,
  FakeMessagingLimit,
  FakeNotificationSends,
  FakeNumbers,
  FakeStore,
  fakePublisher,
} from './fake-ports.js';

export const testWabaId = '102290129340398';

export const topics = {
  routerOut: 'router-out',
  deadLetter: 'router-dead-letter',
  events: 'notification-events',
  messageCosts: 'message-costs',
};

/** Every port faked and wired like app.ts wires the real ones; `now` moves only when a test sets it. */
export function fakeRouter(options: { agents?: Agent[] } = {}) {
  const agents = options.agents ?? [agent('1', { name: 'Sales' }), agent('2', { name: 'Support' })];
  const store = new FakeStore();
  const claims = new FakeClaims(store);
  const graph = new FakeGraph();
  const limiter = new FakeLimiter();
  const numbers = new FakeNumbers();
  const messagingLimit = new FakeMessagingLimit();
  const { published, costs, publish } = fakePublisher(topics.messageCosts);
  const notifications = new FakeNotificationSends();
  const cancelled = new Set<string>();
  const clock = { now: new Date('2026-12-01T12:00:00Z') };
  const now = () => clock.now;
  const metrics = createMetrics();
  const logger = createLogger({ service: 'router-unit', level: 'silent' });
  let committed: string | null = null;
  let nextOffset = 0;
  const sender: SenderDeps = {
    graph,
    limiter,
    metrics,
    keyPrefix: 't:',
    numbers,
    messagingLimit,
    numberWindowGuardMs: 50,
    pairPerSecond: 1,
    pairBurst: 10,
    maxAttempts: 3,
    backoff: { baseMs: 1, maxMs: 2 },
    random: () => 0,
    sleep: async () => undefined,
  };
  const claimed = {
    claims,
    inFlight: new Set<string>(),
    neverCalled: new Set<string>(),
    unknownAfterMs: 120_000,
    logger,
  };
  const inbound: InboundDeps = {
    store,
    agents: () => agents,
    texts,
    routerOutTopic: topics.routerOut,
    deadLetterTopic: topics.deadLetter,
    messageCostsTopic: topics.messageCosts,
    numbers,
    committedOffset: async () => committed,
    metrics,
    logger,
    now,
  };
  // Every number of these tests belongs to one WABA; tests apply the templates it has.
  const templates = new TemplateCatalog(() => testWabaId);
  const outbound: OutboundDeps = {
    ...claimed,
    store,
    sender,
    agents: () => agents,
    agentByOutTopic: (topic) => agents.find((a) => a.active && a.topics.out === topic),
    templates,
    texts,
    routerOutTopic: topics.routerOut,
    deadLetterTopic: topics.deadLetter,
    messageCostsTopic: topics.messageCosts,
    now,
  };
  const notificationSend: NotificationSendDeps = {
    ...claimed,
    notifications,
    isCancelled: async (id) => cancelled.has(id),
    sender,
    publish,
    eventsTopic: topics.events,
    deadLetterTopic: topics.deadLetter,
    messageCostsTopic: topics.messageCosts,
    now,
  };
  return {
    agents,
    templates,
    store,
    claims,
    graph,
    numbers,
    messagingLimit,
    limiter,
    published,
    /** What went to the cost report (message-costs), from every handler. */
    costs,
    notifications,
    cancelled,
    clock,
    metrics,
    deps: { inbound, outbound, notificationSend },
    notificationStatus: { notifications, publish, eventsTopic: topics.events },
    /** The inbound group's committed offset, as the Kafka adapter would report it. */
    commitOffset(offset: string | null) {
      committed = offset;
    },
    /** Routes webhook events as the next batch of partition 0 (offsets go on from the last batch). */
    route(...events: WebhookEvent[]) {
      const first = nextOffset;
      nextOffset += events.length;
      return routeInboundBatch(
        {
          topic: 'webhook',
          partition: 0,
          lastOffset: String(nextOffset - 1),
          checkpointKey: 'checkpoint:inbound:webhook:0',
          events: events.map((event, i) => ({ offset: String(first + i), event, rebuildOnly: false })),
        },
        inbound,
      );
    },
    /** Handles one record of agent `agentId`'s `-out` topic; returns what it produced. */
    async agentSays(agentId: string, message: Record<string, unknown>): Promise<OutRecord[]> {
      const emitted: OutRecord[] = [];
      const source = {
        topic: `${agentId}-out`,
        partition: 0,
        offset: String(nextOffset++),
        value: Buffer.from(JSON.stringify(message)),
      };
      await handleOutbound(source, outbound, (records) => {
        for (const record of records) (record.topic === topics.messageCosts ? costs : emitted).push(record);
      });
      return emitted;
    },
  };
}
export type FakeRouter = ReturnType<typeof fakeRouter>;
