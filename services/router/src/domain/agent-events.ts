import type { AgentErrorCode, AgentErrorEvent } from '@wa-broker/shared/agent-errors';
import type {
  AgentInboundEvent,
  DeliveryStatus,
  IdentityChangeReason,
  MetaErrorDetail,
  UserIdentity,
} from '@wa-broker/shared/agent-inbound';
import { mediaPath } from '@wa-broker/shared/media-access';
import type { Agent } from './agent.js';
import type { AgentDelivery } from './session.js';

export interface EventContext {
  userKey: string;
  /** The business number of the conversation, and how Meta shows it (when the webhook named it). */
  phoneNumberId: string;
  displayPhoneNumber?: string;
  user: UserIdentity;
  windowExpiresAt: Date | null;
  now: Date;
  /** Makes session event ids deterministic, so a replay produces the same event_id and agents dedupe it. */
  causeId: string;
}

export function base64Json(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

/** The `<agent>-in` event for one delivery decided by the domain. */
export function toAgentInboundEvent(delivery: AgentDelivery, ctx: EventContext): AgentInboundEvent {
  const base = {
    v: 1 as const,
    waID: ctx.userKey,
    phone_number_id: ctx.phoneNumberId,
    ...(ctx.displayPhoneNumber ? { display_phone_number: ctx.displayPhoneNumber } : {}),
    agent: delivery.agent.id,
    user: ctx.user,
    window_expires_at: ctx.windowExpiresAt?.toISOString() ?? null,
  };
  if (delivery.kind === 'message') {
    const { message } = delivery;
    const { media } = message.fields;
    return {
      ...base,
      ...message.fields,
      // Where the media service serves the file once it has stored it (issue 18 §1).
      ...(media ? { media: { ...media, path: mediaPath(ctx.phoneNumberId, media.id) } } : {}),
      event_id: message.wamid,
      wamid: message.wamid,
      type: message.type,
      text: message.text,
      raw_payload: base64Json(message.raw),
      timestamp: message.sentAt.toISOString(),
    };
  }
  const note = delivery.kind === 'session_started' ? delivery.note : delivery.note;
  const fromAgent = delivery.kind === 'session_started' ? delivery.fromAgent : undefined;
  return {
    ...base,
    event_id: `${ctx.causeId}:${delivery.kind}:${delivery.agent.id}`,
    type: delivery.kind,
    text: delivery.reason,
    raw_payload: null,
    timestamp: ctx.now.toISOString(),
    session: {
      reason: delivery.reason,
      ...(fromAgent ? { from_agent: fromAgent } : {}),
      ...(note ? { note } : {}),
    },
  };
}

/**
 * Tells the agent that owns the conversation that the user's key changed: everything it keeps under
 * `previous_waID` (history, notes) is the same user's, and replies go to `waID` from now on.
 */
export function toIdentityChangedEvent(
  agent: Agent,
  identity: { reason: IdentityChangeReason; previousKey: string },
  ctx: EventContext,
): AgentInboundEvent {
  return {
    v: 1,
    event_id: `${ctx.causeId}:identity_changed:${agent.id}`,
    waID: ctx.userKey,
    phone_number_id: ctx.phoneNumberId,
    ...(ctx.displayPhoneNumber ? { display_phone_number: ctx.displayPhoneNumber } : {}),
    type: 'identity_changed',
    text: identity.reason,
    raw_payload: null,
    agent: agent.id,
    user: ctx.user,
    timestamp: ctx.now.toISOString(),
    window_expires_at: ctx.windowExpiresAt?.toISOString() ?? null,
    identity: { reason: identity.reason, previous_waID: identity.previousKey },
  };
}

/** Something about the user that is not their message (a call, an echo, the Business Agent), for its owner. */
export interface ActivityInput {
  eventId: string;
  type: Extract<AgentInboundEvent['type'], 'call' | 'echo' | 'standby' | 'handover'>;
  text: string;
  timestamp: Date;
  raw: unknown;
  call?: AgentInboundEvent['call'];
}

export function toActivityEvent(
  agent: Agent,
  input: ActivityInput,
  ctx: Omit<EventContext, 'causeId' | 'now'>,
) {
  const event: AgentInboundEvent = {
    v: 1,
    event_id: input.eventId,
    waID: ctx.userKey,
    phone_number_id: ctx.phoneNumberId,
    ...(ctx.displayPhoneNumber ? { display_phone_number: ctx.displayPhoneNumber } : {}),
    type: input.type,
    text: input.text,
    raw_payload: base64Json(input.raw),
    agent: agent.id,
    user: ctx.user,
    timestamp: input.timestamp.toISOString(),
    window_expires_at: ctx.windowExpiresAt?.toISOString() ?? null,
    ...(input.call ? { call: input.call } : {}),
  };
  return event;
}

export interface StatusInput {
  wamid: string;
  status: DeliveryStatus;
  timestamp: Date;
  idempotencyKey?: string;
  errors?: MetaErrorDetail[];
  raw: unknown;
}

export function toStatusEvent(agent: Agent, input: StatusInput, ctx: Omit<EventContext, 'causeId' | 'now'>) {
  const event: AgentInboundEvent = {
    v: 1,
    event_id: `${input.wamid}:${input.status}`,
    waID: ctx.userKey,
    phone_number_id: ctx.phoneNumberId,
    ...(ctx.displayPhoneNumber ? { display_phone_number: ctx.displayPhoneNumber } : {}),
    type: 'status',
    text: input.status,
    raw_payload: base64Json(input.raw),
    agent: agent.id,
    user: ctx.user,
    timestamp: input.timestamp.toISOString(),
    window_expires_at: ctx.windowExpiresAt?.toISOString() ?? null,
    status: {
      wamid: input.wamid,
      status: input.status,
      ...(input.idempotencyKey ? { idempotency_key: input.idempotencyKey } : {}),
      ...(input.errors?.length ? { errors: input.errors } : {}),
    },
  };
  return event;
}

export interface ErrorInput {
  eventId: string;
  agentId: string;
  userKey: string;
  phoneNumberId?: string;
  code: AgentErrorCode;
  text: string;
  now: Date;
  rawPayload?: unknown;
  idempotencyKey?: string;
  wamid?: string;
  metaError?: MetaErrorDetail;
  problems?: AgentErrorEvent['problems'];
  source?: AgentErrorEvent['source'];
}

export function toAgentErrorEvent(input: ErrorInput): AgentErrorEvent {
  return {
    v: 1,
    event_id: input.eventId,
    waID: input.userKey,
    ...(input.phoneNumberId ? { phone_number_id: input.phoneNumberId } : {}),
    text: input.text,
    raw_payload: input.rawPayload === undefined ? null : base64Json(input.rawPayload),
    code: input.code,
    agent: input.agentId,
    timestamp: input.now.toISOString(),
    ...(input.idempotencyKey ? { idempotency_key: input.idempotencyKey } : {}),
    ...(input.wamid ? { wamid: input.wamid } : {}),
    ...(input.metaError ? { meta_error: input.metaError } : {}),
    ...(input.problems?.length ? { problems: input.problems } : {}),
    ...(input.source ? { source: input.source } : {}),
  };
}
