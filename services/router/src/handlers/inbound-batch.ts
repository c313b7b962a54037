import { type DeliveryStatus, deliveryStatuses } from '@wa-broker/shared/agent-inbound';
import type { Logger } from '@wa-broker/shared/logger';
import type { StatusEvent, WebhookEvent } from '@wa-broker/shared/webhook-events';
import type { OutRecord, Publish } from '../adapters/publisher.kafka.js';
import type { RouterStore, UserState } from '../adapters/router-store.redis.js';
import type { Agent } from '../domain/agent.js';
import { toAgentErrorEvent, toAgentInboundEvent, toStatusEvent } from '../domain/agent-events.js';
import { isStatusForward } from '../domain/delivery-status.js';
import { metaTimestamp, toInboundMessage } from '../domain/inbound-message.js';
import type { MenuTexts } from '../domain/menu.js';
import { routeInbound } from '../domain/route-inbound.js';
import type { RouterTexts } from '../domain/session.js';
import { latestInbound, windowExpiresAt } from '../domain/window.js';
import type { Metrics } from './metrics.js';
import { retryStateWrite } from './retry-state-write.js';
import type { RouterOutMessage } from './router-out.js';

export interface InboundDeps {
  store: RouterStore;
  publish: Publish;
  agents: () => Agent[];
  texts: RouterTexts & MenuTexts;
  routerOutTopic: string;
  metrics: Metrics;
  logger: Logger;
  now: () => Date;
}

type MessageEvent = Extract<WebhookEvent, { kind: 'message' }>;

/** Dedup key: the wamid for messages, wamid + status for statuses (Meta redelivers both for 7 days). */
export function eventId(event: WebhookEvent): string | undefined {
  if (event.kind === 'message') return event.item.id;
  if (event.kind === 'status') return `${event.item.id}:${event.item.status}`;
  return undefined;
}

const userKeyOf = (event: WebhookEvent) => event.user?.wa_id ?? event.user?.user_id;

/**
 * Routes a batch of webhook events. Reads state once, decides in memory in order (per-user order holds), then
 * publishes and only afterwards writes state and dedup marks: a crash in between replays the batch with the
 * old state, so the same decisions (and event ids) come out again and nothing is lost.
 *
 * `rebuildOnly` (a `pnpm replay --rebuild-state` after Redis was lost): the same decisions are taken, so
 * sessions, windows and dedup marks come out as they were, but nothing is published. These events were routed
 * once already, and with the dedup marks gone with Redis, publishing would greet users and feed agents twice.
 */
export async function processInboundBatch(
  events: readonly WebhookEvent[],
  deps: InboundDeps,
  options: { rebuildOnly?: boolean } = {},
): Promise<void> {
  const ids = events.map(eventId).filter((id): id is string => Boolean(id));
  // One round trip for every read (users and statuses of duplicates too: cheaper than a second trip).
  const loaded = await deps.store.loadBatch({
    eventIds: ids,
    userKeys: [...new Set(events.map(userKeyOf).filter((u): u is string => !!u))],
    wamids: [...new Set(events.filter((e): e is StatusEvent => e.kind === 'status').map((e) => e.item.id))],
  });
  const { seen } = loaded;
  const fresh = events.filter((event) => {
    const id = eventId(event);
    if (!id || seen.has(id)) return event.kind === 'error';
    seen.add(id);
    return true;
  });
  deps.metrics.duplicates.inc(events.length - fresh.length);
  const batch: Batch = {
    deps,
    users: loaded.users,
    changed: new Map<string, UserState>(),
    records: [],
    statuses: loaded.statuses,
    statusWrites: new Map<string, DeliveryStatus>(),
  };
  for (const event of fresh) {
    if (event.kind === 'message') routeMessage(event, batch);
    else if (event.kind === 'status') routeStatus(event, batch);
    else
      deps.logger.warn(
        { code: event.item.code, phone_number_id: event.phone_number_id },
        'meta system error',
      );
  }
  if (options.rebuildOnly) deps.logger.info({ events: fresh.length }, 'replayed events rebuilt state');
  else await deps.publish(batch.records);
  const state = {
    users: batch.changed,
    statuses: batch.statusWrites,
    seenIds: fresh.map(eventId).filter((id): id is string => Boolean(id)),
  };
  // Published already: throwing now would replay the batch and give agents a second copy.
  await retryStateWrite(deps.logger, 'saving routed state', () => deps.store.saveBatch(state));
}

type Batch = {
  deps: InboundDeps;
  users: Map<string, UserState>;
  changed: Map<string, UserState>;
  records: OutRecord[];
  statuses: Awaited<ReturnType<RouterStore['loadBatch']>>['statuses'];
  statusWrites: Map<string, DeliveryStatus>;
};

function routeMessage(event: MessageEvent, batch: Batch): void {
  const { deps } = batch;
  const identity = {
    ...event.user,
    ...(event.contact?.profile?.name ? { name: event.contact.profile.name } : {}),
  };
  const message = toInboundMessage(event.item, identity, new Date(event.received_at));
  if (!message)
    return void deps.logger.warn({ trace_id: event.trace_id }, 'inbound message without id or user');
  const state = batch.users.get(message.userKey) ?? { session: null, window: null };
  const lastInboundAt = latestInbound(state.window?.lastInboundAt ?? null, message.sentAt);
  const decision = routeInbound({
    message,
    session: state.session,
    agents: deps.agents(),
    texts: deps.texts,
  });
  const next: UserState = { session: decision.session, window: { lastInboundAt, user: message.user } };
  batch.users.set(message.userKey, next);
  batch.changed.set(message.userKey, next);
  const ctx = {
    userKey: message.userKey,
    user: message.user,
    windowExpiresAt: windowExpiresAt(lastInboundAt),
    now: deps.now(),
    causeId: message.wamid,
  };
  for (const delivery of decision.toAgents)
    batch.records.push({
      topic: delivery.agent.topics.in,
      key: message.userKey,
      value: toAgentInboundEvent(delivery, ctx),
    });
  decision.toUser.forEach((body, i) => {
    const value: RouterOutMessage = {
      v: 1,
      waID: message.userKey,
      user: message.user,
      idempotency_key: `${message.wamid}:${i}`,
      body,
    };
    batch.records.push({ topic: deps.routerOutTopic, key: message.userKey, value });
  });
  deps.metrics.routed.inc({ type: message.type });
}

function routeStatus(event: StatusEvent, batch: Batch): void {
  const { deps } = batch;
  const { item } = event;
  const status = item.status as DeliveryStatus;
  const known = batch.statuses.get(item.id);
  const agent = known?.sent ? deps.agents().find((a) => a.id === known.sent?.agentId) : undefined;
  if (!deliveryStatuses.includes(status) || !known?.sent || !agent)
    return void deps.metrics.statuses.inc({ outcome: 'unmatched' });
  const previous = batch.statusWrites.get(item.id) ?? known.last;
  if (!isStatusForward(previous, status)) return void deps.metrics.statuses.inc({ outcome: 'stale' });
  batch.statusWrites.set(item.id, status);
  const { userKey, idempotencyKey } = known.sent;
  const window = batch.users.get(userKey)?.window;
  const errors = (item.errors ?? []).map((e) => ({
    code: e.code,
    title: e.title ?? e.message ?? `error ${e.code}`,
    ...(e.error_data?.details ? { details: e.error_data.details } : {}),
  }));
  const input = {
    wamid: item.id,
    status,
    timestamp: metaTimestamp(item.timestamp, new Date(event.received_at)),
    idempotencyKey,
    errors,
    raw: item,
  };
  const user = window?.user ?? { wa_id: userKey };
  batch.records.push({
    topic: agent.topics.in,
    key: userKey,
    value: toStatusEvent(agent, input, {
      userKey,
      user,
      windowExpiresAt: window ? windowExpiresAt(window.lastInboundAt) : null,
    }),
  });
  if (status === 'failed') {
    const metaError = errors[0];
    const text = metaError
      ? `Meta could not deliver the message: ${metaError.details ?? metaError.title} (${metaError.code})`
      : 'Meta could not deliver the message';
    const value = toAgentErrorEvent({
      eventId: `${item.id}:failed`,
      agentId: agent.id,
      userKey,
      code: 'delivery_failed',
      text,
      now: deps.now(),
      rawPayload: item,
      idempotencyKey,
      wamid: item.id,
      ...(metaError ? { metaError } : {}),
    });
    batch.records.push({ topic: agent.topics.error, key: userKey, value });
  }
  deps.metrics.statuses.inc({ outcome: status });
}
