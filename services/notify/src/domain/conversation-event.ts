import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import type { NotificationEvent } from '@wa-broker/shared/notifications';
import { type IdentityParts, userKeyOf as sharedUserKeyOf } from '@wa-broker/shared/user-identity';
import type { WebhookEvent } from '@wa-broker/shared/webhook-events';

export const conversationEventKinds = [
  'inbound',
  'outbound',
  'status',
  'session_started',
  'session_ended',
  'transfer',
  /** The user's key changed (a new number or BSUID): the log of `detail.previous_user` joins this one. */
  'identity_changed',
] as const;
export type ConversationEventKind = (typeof conversationEventKinds)[number];

/** One line of a conversation's call-event log. `eventId` is unique: the same fact read twice is stored once. */
export interface ConversationEvent {
  eventId: string;
  userKey: string;
  kind: ConversationEventKind;
  /** Meta's timestamp (whole seconds); ours are cut to the second too. Shown, not the order. */
  occurredAt: Date;
  /**
   * When the broker saw it, in ms: the webhook's receipt of a Meta event, the router's clock for its session
   * events and messages, the agent's for what it wrote. The log's order: each of these happens after what
   * caused it (the menu after the message, the session after the choice, the reply after the session, the
   * reply's statuses after the reply), whichever topic notify happens to read first. Meta's seconds cannot
   * order events within a second, and arrival at notify races across topics.
   */
  observedAt: Date;
  /** Agent id, for session events and what an agent sent. */
  agent: string | null;
  wamid: string | null;
  /** Message type, status name or session reason. */
  type: string;
  text: string | null;
  userName: string | null;
  detail: Record<string, unknown> | null;
  source: string;
}

/** Meta's timestamps have second precision; ours are cut to match, so `occurred_at` reads alike for all. */
export const toSecond = (date: Date): Date => new Date(Math.floor(date.getTime() / 1000) * 1000);

/** The user's key as every part of the broker keys them (the BSUID when known): shared/user-identity.ts. */
const userKeyOf = (user: IdentityParts | null) => sharedUserKeyOf(user) ?? null;

/** A webhook-topic event (inbound message or status) as a log line; system errors belong to no conversation. */
export function fromWebhookEvent(event: WebhookEvent, source: string): ConversationEvent | null {
  const userKey = userKeyOf(event.user);
  // Calls, echoes and the Business Agent's turns are not lines of this log (yet): its agent gets them.
  if (event.kind === 'error' || event.kind === 'activity' || !userKey) return null;
  const occurredAt = toSecond(new Date(event.occurred_at ?? event.received_at));
  const observedAt = new Date(event.received_at);
  const userName = event.contact?.profile?.name ?? null;
  if (event.kind === 'status') {
    const { item } = event;
    const error = item.errors?.[0];
    return {
      eventId: `status:${item.id}:${item.status}`,
      userKey,
      kind: 'status',
      occurredAt,
      observedAt,
      agent: null,
      wamid: item.id,
      type: item.status,
      text: null,
      userName,
      detail: error ? { error: { code: error.code, title: error.title ?? error.message ?? '' } } : null,
      source,
    };
  }
  const item = event.item as Record<string, unknown> & { id?: string; type?: string };
  if (!item.id) return null;
  return {
    eventId: `in:${item.id}`,
    userKey,
    kind: 'inbound',
    occurredAt,
    observedAt,
    agent: null,
    wamid: item.id,
    type: event.message_type === 'unknown' ? (item.type ?? 'unknown') : event.message_type,
    text: inboundText(item),
    userName,
    detail: null,
    source,
  };
}

function inboundText(item: Record<string, unknown>): string | null {
  const pick = (path: string[]): string | undefined => {
    let value: unknown = item;
    for (const part of path) value = (value as Record<string, unknown> | undefined)?.[part];
    return typeof value === 'string' ? value : undefined;
  };
  const media = ['image', 'video', 'document', 'audio', 'sticker'].map((m) => pick([m, 'caption']));
  return (
    pick(['text', 'body']) ??
    pick(['interactive', 'list_reply', 'title']) ??
    pick(['interactive', 'button_reply', 'title']) ??
    pick(['button', 'text']) ??
    pick(['reaction', 'emoji']) ??
    media.find((caption) => caption !== undefined) ??
    null
  );
}

/**
 * An agent's `-in` event as a log line: only the session changes. Messages and statuses on `-in` are copies
 * of webhook events, which are logged from the webhook topic (menu-time ones included).
 */
export function fromAgentInEvent(event: AgentInboundEvent, source: string): ConversationEvent | null {
  if (event.type === 'identity_changed' && event.identity)
    return {
      eventId: `identity:${event.event_id}`,
      userKey: event.waID,
      kind: 'identity_changed',
      occurredAt: toSecond(new Date(event.timestamp)),
      observedAt: new Date(event.timestamp),
      agent: event.agent,
      wamid: null,
      type: event.identity.reason,
      text: null,
      userName: event.user.name ?? null,
      detail: { previous_user: event.identity.previous_waID },
      source,
    };
  if (event.type !== 'session_started' && event.type !== 'session_ended') return null;
  return {
    eventId: `session:${event.event_id}`,
    userKey: event.waID,
    kind: event.type,
    occurredAt: toSecond(new Date(event.timestamp)),
    observedAt: new Date(event.timestamp),
    agent: event.agent,
    wamid: null,
    type: event.session?.reason ?? event.text,
    text: event.session?.note ?? null,
    userName: event.user.name ?? null,
    detail: event.session?.from_agent ? { from_agent: event.session.from_agent } : null,
    source,
  };
}

/** What an agent wrote on its `-out` topic; a transfer request is its own kind. */
export function fromAgentOutMessage(
  message: AgentOutboundMessage,
  meta: { agent: string; source: string; offsetId: string; at: Date },
): ConversationEvent {
  const isTransfer = message.message_type === 'transfer';
  return {
    eventId: `out:${meta.agent}:${message.idempotency_key ?? meta.offsetId}`,
    userKey: message.waID,
    kind: isTransfer ? 'transfer' : 'outbound',
    occurredAt: toSecond(meta.at),
    observedAt: meta.at,
    agent: meta.agent,
    wamid: null,
    type: message.message_type,
    text: isTransfer ? (message.reason ?? null) : (message.text ?? message.template?.name ?? null),
    userName: null,
    detail: isTransfer ? { transfer_to: message.transfer_to ?? null } : null,
    source: meta.source,
  };
}

/** The router's own message to a user (menu, greeting, notice) from the router-out topic. */
export function fromRouterOutMessage(
  message: { waID: string; idempotency_key: string; body: { type: string } & Record<string, unknown> },
  meta: { source: string; at: Date },
): ConversationEvent {
  const body = message.body as {
    type: string;
    text?: { body?: string };
    interactive?: { body?: { text?: string } };
  };
  return {
    eventId: `out:router:${message.idempotency_key}`,
    userKey: message.waID,
    kind: 'outbound',
    occurredAt: toSecond(meta.at),
    observedAt: meta.at,
    agent: null,
    wamid: null,
    type: body.type,
    text: body.text?.body ?? body.interactive?.body?.text ?? null,
    userName: null,
    detail: null,
    source: meta.source,
  };
}

/** A notification the router sent (its `sent` event on notification-events) as the outbound template it was. */
export function fromNotificationEvent(event: NotificationEvent, source: string): ConversationEvent | null {
  if (event.status !== 'sent' || event.source !== 'router') return null;
  return {
    eventId: `out:notification:${event.recipient_id}:${event.attempt}`,
    userKey: event.to.replace(/^\+/, ''),
    kind: 'outbound',
    occurredAt: toSecond(new Date(event.at)),
    observedAt: new Date(event.at),
    agent: null,
    wamid: event.wamid ?? null,
    type: 'template',
    text: null,
    userName: null,
    detail: { notification_id: event.notification_id, attempt: event.attempt },
    source,
  };
}
