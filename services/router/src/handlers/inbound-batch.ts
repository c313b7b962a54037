import { type DeliveryStatus, deliveryStatuses } from '@wa-broker/shared/agent-inbound';
import type { Logger } from '@wa-broker/shared/logger';
import type { StatusEvent, WebhookEvent } from '@wa-broker/shared/webhook-events';
import type { OutRecord } from '../adapters/publisher.kafka.js';
import type { RouterStore, SentMessage, UserState } from '../adapters/router-store.redis.js';
import type { Agent } from '../domain/agent.js';
import { toAgentErrorEvent, toAgentInboundEvent, toStatusEvent } from '../domain/agent-events.js';
import { isStatusForward } from '../domain/delivery-status.js';
import { metaTimestamp, toInboundMessage } from '../domain/inbound-message.js';
import type { MenuTexts } from '../domain/menu.js';
import { routeInbound } from '../domain/route-inbound.js';
import { decodeSendReference } from '../domain/send-callback.js';
import { claimId } from '../domain/send-claim.js';
import type { RouterTexts } from '../domain/session.js';
import { latestInbound, windowExpiresAt } from '../domain/window.js';
import type { Metrics } from './metrics.js';
import type { RouterOutMessage } from './router-out.js';

export interface InboundDeps {
  store: RouterStore;
  agents: () => Agent[];
  texts: RouterTexts & MenuTexts;
  routerOutTopic: string;
  deadLetterTopic: string;
  /** The inbound group's committed offset of a partition (null when none). */
  committedOffset: (topic: string, partition: number) => Promise<string | null>;
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

/** One consumed record of the webhook topic: a readable event, or an unreadable one to park. */
export type ConsumedEvent =
  | { offset: string; event: WebhookEvent; rebuildOnly: boolean }
  | { offset: string; event: null; raw: Buffer | null };

export interface ConsumedBatch {
  topic: string;
  partition: number;
  /** The batch's last offset (a transaction marker may follow the last event). */
  lastOffset: string;
  events: readonly ConsumedEvent[];
  /** `checkpoint:<group>:<topic>:<partition>` in Redis. */
  checkpointKey: string;
}

/** What a batch's Kafka transaction must carry: the records, and the offset to commit after `lastOffset`. */
export interface RoutedBatch {
  records: OutRecord[];
  lastOffset: string;
}

/**
 * Routes a batch of webhook events for one partition; the caller publishes the result in the Kafka transaction
 * that also commits the consumed offsets. Reads state once, decides in memory in order (per-user order holds),
 * then writes the new state, dedup marks and a checkpoint (the batch's offsets and records) to Redis atomically,
 * before the transaction. Seeing offsets that the checkpoint already covers means that transaction never
 * committed (offsets commit with it): the stored records go out again, nothing is decided twice. README
 * "Exactly once" walks through every crash point.
 *
 * `rebuildOnly` events (a `pnpm replay --rebuild-state` after Redis was lost): the same decisions are taken, so
 * sessions, windows and dedup marks come out as they were, but nothing is published. These events were routed
 * once already, and with the dedup marks gone with Redis, publishing would greet users and feed agents twice.
 */
export async function routeInboundBatch(batch: ConsumedBatch, deps: InboundDeps): Promise<RoutedBatch> {
  const all = batch.events.filter((e): e is Extract<ConsumedEvent, { event: WebhookEvent }> => !!e.event);
  const events = all.map((e) => e.event);
  const ids = events.map(eventId).filter((id): id is string => Boolean(id));
  // One round trip for every read (users and statuses of duplicates too: cheaper than a second trip).
  const loaded = await deps.store.loadBatch({
    checkpointKey: batch.checkpointKey,
    eventIds: ids,
    userKeys: [...new Set(events.map(userKeyOf).filter((u): u is string => !!u))],
    wamids: [...new Set(events.filter((e): e is StatusEvent => e.kind === 'status').map((e) => e.item.id))],
  });
  const { checkpoint } = loaded;
  const firstOffset = batch.events[0]?.offset ?? batch.lastOffset;
  // The checkpoint's records were never committed if its offsets come again: they go out first, as decided.
  // Rare (after a crash), so confirmed against the group's committed offset: a commit that was completing when
  // this consumer read its start offset (a zombie owner) has landed by now (our transaction fenced it).
  const uncommitted =
    checkpoint &&
    BigInt(checkpoint.last) >= BigInt(firstOffset) &&
    !(await isCommittedPast(deps, batch, checkpoint.last))
      ? checkpoint
      : null;
  if (uncommitted)
    deps.logger.info(
      { topic: batch.topic, partition: batch.partition, first: uncommitted.first, last: uncommitted.last },
      'uncommitted batch published again',
    );
  const applied = checkpoint ? BigInt(checkpoint.last) : -1n;
  const pendingEvents = batch.events.filter((e) => BigInt(e.offset) > applied);
  const lastOffset = maxOffset(batch.lastOffset, uncommitted?.last);
  if (pendingEvents.length === 0) return { records: uncommitted?.records ?? [], lastOffset };

  const { seen } = loaded;
  const state: Batch = {
    deps,
    users: loaded.users,
    changed: new Map<string, UserState>(),
    records: [],
    statuses: loaded.statuses,
    statusWrites: new Map<string, DeliveryStatus>(),
    sentWrites: new Map<string, SentMessage>(),
    resolvedClaims: new Map<string, string>(),
  };
  const seenIds: string[] = [];
  let fresh = 0;
  for (const consumed of pendingEvents) {
    if (!consumed.event) {
      parkPoison(batch, consumed.offset, consumed.raw, state);
      continue;
    }
    const { event } = consumed;
    const id = eventId(event);
    if (event.kind !== 'error' && (!id || seen.has(id))) continue;
    if (id) {
      seen.add(id);
      seenIds.push(id);
    }
    fresh += 1;
    const emit = !consumed.rebuildOnly;
    if (event.kind === 'message') routeMessage(event, state, emit);
    else if (event.kind === 'status') routeStatus(event, state, emit);
    else
      deps.logger.warn(
        { code: event.item.code, phone_number_id: event.phone_number_id },
        'meta system error',
      );
  }
  deps.metrics.duplicates.inc(pendingEvents.length - fresh);
  const rebuilt = pendingEvents.filter((e) => e.event && e.rebuildOnly).length;
  if (rebuilt > 0) deps.logger.info({ events: rebuilt }, 'replayed events rebuilt state');
  const records = [...(uncommitted?.records ?? []), ...state.records];
  await deps.store.commitBatch({
    checkpointKey: batch.checkpointKey,
    expectedLast: checkpoint?.last ?? null,
    checkpoint: { first: uncommitted?.first ?? firstOffset, last: lastOffset, records },
    users: state.changed,
    statuses: state.statusWrites,
    seenIds,
    sent: state.sentWrites,
    resolvedClaims: state.resolvedClaims,
  });
  return { records, lastOffset };
}

async function isCommittedPast(deps: InboundDeps, batch: ConsumedBatch, last: string): Promise<boolean> {
  const committed = await deps.committedOffset(batch.topic, batch.partition);
  return committed !== null && BigInt(committed) > BigInt(last);
}

function maxOffset(a: string, b: string | undefined): string {
  return b !== undefined && BigInt(b) > BigInt(a) ? b : a;
}

function parkPoison(batch: ConsumedBatch, offset: string, raw: Buffer | null, state: Batch): void {
  const { topic, partition } = batch;
  state.deps.logger.warn({ topic, partition, offset }, 'unreadable webhook event parked');
  state.records.push({
    topic: state.deps.deadLetterTopic,
    key: `${topic}:${partition}`,
    value: { topic, partition, offset, raw_payload: raw?.toString('base64') ?? null },
  });
}

type Batch = {
  deps: InboundDeps;
  users: Map<string, UserState>;
  changed: Map<string, UserState>;
  records: OutRecord[];
  statuses: Awaited<ReturnType<RouterStore['loadBatch']>>['statuses'];
  statusWrites: Map<string, DeliveryStatus>;
  /** wamid → sender learnt from a status' callback data (the sending router died before recording it). */
  sentWrites: Map<string, SentMessage>;
  /** Send claim id → wamid, for every status that names its send. */
  resolvedClaims: Map<string, string>;
};

function routeMessage(event: MessageEvent, batch: Batch, emit: boolean): void {
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
  deps.metrics.routed.inc({ type: message.type });
  if (!emit) return;
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
}

function routeStatus(event: StatusEvent, batch: Batch, emit: boolean): void {
  const { deps } = batch;
  const { item } = event;
  const status = item.status as DeliveryStatus;
  const known = withSendReference(event, batch);
  const agent = known?.sent ? deps.agents().find((a) => a.id === known.sent?.agentId) : undefined;
  if (!deliveryStatuses.includes(status) || !known?.sent || !agent)
    return void deps.metrics.statuses.inc({ outcome: 'unmatched' });
  const previous = batch.statusWrites.get(item.id) ?? known.last;
  if (!isStatusForward(previous, status)) return void deps.metrics.statuses.inc({ outcome: 'stale' });
  batch.statusWrites.set(item.id, status);
  deps.metrics.statuses.inc({ outcome: status });
  if (!emit) return;
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
}

/**
 * The status' sender, from the wamid mapping or else from the send reference Meta echoed in
 * `biz_opaque_callback_data` (a router died after Meta accepted the send, before recording the wamid; or the
 * status overtook that record). Either way the claim is marked resolved, so no "delivery unknown" is reported.
 */
function withSendReference(event: StatusEvent, batch: Batch) {
  const { item } = event;
  const known = batch.statuses.get(item.id);
  const reference = decodeSendReference(item.biz_opaque_callback_data);
  if (!reference) return known;
  batch.resolvedClaims.set(claimId(reference.agentId, reference.idempotencyKey), item.id);
  const userKey = userKeyOf(event);
  if (known?.sent || !userKey) return known;
  const sent: SentMessage = { agentId: reference.agentId, userKey, idempotencyKey: reference.idempotencyKey };
  const learnt = { sent, last: known?.last ?? null };
  batch.statuses.set(item.id, learnt);
  batch.sentWrites.set(item.id, sent);
  return learnt;
}
