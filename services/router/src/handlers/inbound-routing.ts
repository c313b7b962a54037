import type { DeliveryStatus } from '@wa-broker/shared/agent-inbound';
import { latestInbound, windowExpiresAt } from '@wa-broker/shared/reply-window';
import type { StatusEvent, WebhookEvent } from '@wa-broker/shared/webhook-events';
import { toAgentInboundEvent } from '../domain/agent-events.js';
import { identityOfMessage } from '../domain/identity.js';
import { toInboundMessage } from '../domain/inbound-message.js';
import { pricedCostRecord } from '../domain/message-costs.js';
import type { KnownStatus, OutRecord, SentMessage, UserState } from '../domain/ports.js';
import { routeInbound } from '../domain/route-inbound.js';
import { routeStatus } from '../domain/route-status.js';
import { decodeSendReference } from '../domain/send-callback.js';
import { claimId } from '../domain/send-claim.js';
import { activityEventId, routeCallStatus } from './inbound-activity.js';
import type { InboundDeps } from './inbound-batch.js';
import { adoptPhoneKeyed, applyIdentityChange, displayOf, type UserRef } from './inbound-identity.js';
import type { RouterOutMessage } from './router-out.js';

type MessageEvent = Extract<WebhookEvent, { kind: 'message' }>;

/** Dedup key: the wamid for messages, wamid + status for statuses (Meta redelivers both for 7 days). */
export function eventId(event: WebhookEvent): string | undefined {
  if (event.kind === 'message') return event.item.id;
  if (event.kind === 'status') return `${event.item.id}:${event.item.status}`;
  if (event.kind === 'activity') return activityEventId(event);
  return undefined;
}

/** One inbound batch's decisions in the making: the state read, what changed, the records to publish. */
export type Batch = {
  deps: InboundDeps;
  /** By conversation key (`<number>:<user>`). */
  users: Map<string, UserState>;
  changed: Map<string, UserState>;
  identities: {
    phoneLinks: Map<string, string>;
    movedKeys: Map<string, string>;
    lastNumbers: Map<string, string>;
    removedConversations: string[];
  };
  records: OutRecord[];
  statuses: Map<string, KnownStatus>;
  statusWrites: Map<string, DeliveryStatus>;
  /** wamid → sender learnt from a status' callback data (the sending router died before recording it). */
  sentWrites: Map<string, SentMessage>;
  /** Send claim id → wamid, for every status that names its send. */
  resolvedClaims: Map<string, string>;
};

export function routeMessage(event: MessageEvent, ref: UserRef, batch: Batch, emit: boolean): void {
  const { deps } = batch;
  if (applyIdentityChange(event, ref, batch, emit)) return;
  const state = adoptPhoneKeyed(event, ref, batch, emit);
  const identity = identityOfMessage(state.window?.user, event.user ?? {}, event.contact);
  const read = toInboundMessage(event.item, identity, new Date(event.received_at));
  if (!read) return void deps.logger.warn({ trace_id: event.trace_id }, 'inbound message without id or user');
  const message = { ...read, userKey: ref.userKey };
  const lastInboundAt = latestInbound(state.window?.lastInboundAt ?? null, message.sentAt);
  batch.identities.lastNumbers.set(ref.userKey, ref.phoneNumberId);
  const decision = routeInbound({
    message,
    session: state.session,
    // Each number's menu offers its own agents (the admin's numbers registry).
    agents: deps.agents().filter((agent) => deps.numbers.offers(ref.phoneNumberId, agent.id)),
    texts: deps.texts,
  });
  const next: UserState = { session: decision.session, window: { lastInboundAt, user: message.user } };
  batch.users.set(ref.conversation, next);
  batch.changed.set(ref.conversation, next);
  const ctx = {
    userKey: message.userKey,
    phoneNumberId: ref.phoneNumberId,
    ...displayOf(ref),
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
      phone_number_id: ref.phoneNumberId,
      user: message.user,
      idempotency_key: `${message.wamid}:${i}`,
      body,
    };
    batch.records.push({ topic: deps.routerOutTopic, key: message.userKey, value });
  });
}

/** Forwards a status to the agent that sent the message (domain/route-status.ts) and remembers it. */
export function forwardStatus(event: StatusEvent, ref: UserRef | null, batch: Batch, emit: boolean): void {
  const { deps } = batch;
  // Calling API statuses (RINGING, ACCEPTED, REJECTED) are about a call, not a message we sent.
  if (event.item.type === 'call') return void (ref && routeCallStatus(event, ref, batch, emit));
  const known = withSendReference(event, ref, batch);
  const phoneNumberId = ref?.phoneNumberId ?? known?.sent?.phoneNumberId ?? deps.numbers.defaultId;
  // Every status Meta prices counts, whoever sent the message (agents, notifications, the router's menu).
  const priced = pricedCostRecord(deps.messageCostsTopic, {
    wamid: event.item.id,
    status: event.item.status,
    phoneNumberId,
    pricing: event.item.pricing,
    at: new Date(event.occurred_at ?? event.received_at),
  });
  if (priced && emit) batch.records.push(priced);
  if (ref && event.user?.wa_id && event.user.user_id && event.user.wa_id !== ref.userKey) {
    const window = batch.users.get(ref.conversation)?.window;
    if (window?.user.wa_id !== event.user.wa_id)
      batch.identities.phoneLinks.set(event.user.wa_id, ref.userKey);
  }
  const route = routeStatus({
    event,
    sent: known?.sent ?? null,
    previous: batch.statusWrites.get(event.item.id) ?? known?.last ?? null,
    agents: deps.agents(),
    user: {
      userKey: ref?.userKey,
      phoneNumberId,
      ...displayOf(ref),
      window: ref ? (batch.users.get(ref.conversation)?.window ?? null) : null,
    },
    now: deps.now(),
  });
  if (route.kind !== 'forward') return void deps.metrics.statuses.inc({ outcome: route.kind });
  batch.statusWrites.set(event.item.id, route.status);
  deps.metrics.statuses.inc({ outcome: route.status });
  if (emit) batch.records.push(...route.records);
}

/**
 * The status' sender, from the wamid mapping or else from the send reference Meta echoed in
 * `biz_opaque_callback_data` (a router died after Meta accepted the send, before recording the wamid; or the
 * status overtook that record). Either way the claim is marked resolved, so no "delivery unknown" is reported.
 */
function withSendReference(event: StatusEvent, ref: UserRef | null, batch: Batch) {
  const { item } = event;
  const known = batch.statuses.get(item.id);
  const reference = decodeSendReference(item.biz_opaque_callback_data);
  if (!reference) return known;
  batch.resolvedClaims.set(claimId(reference.agentId, reference.idempotencyKey), item.id);
  if (known?.sent || !ref) return known;
  const sent: SentMessage = {
    agentId: reference.agentId,
    userKey: ref.userKey,
    idempotencyKey: reference.idempotencyKey,
    phoneNumberId: ref.phoneNumberId,
  };
  const learnt = { sent, last: known?.last ?? null };
  batch.statuses.set(item.id, learnt);
  batch.sentWrites.set(item.id, sent);
  return learnt;
}
