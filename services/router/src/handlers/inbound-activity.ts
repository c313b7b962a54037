import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';
import { windowExpiresAt } from '@wa-broker/shared/reply-window';
import type { ActivityEvent, StatusEvent } from '@wa-broker/shared/webhook-events';
import { type ActivityInput, toActivityEvent } from '../domain/agent-events.js';
import { metaTimestamp } from '../domain/inbound-message.js';
import { displayOf, type UserRef } from './inbound-identity.js';
import type { Batch } from './inbound-routing.js';

type Item = Record<string, unknown>;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

const agentTypes = {
  calls: 'call',
  smb_message_echoes: 'echo',
  standby: 'standby',
  messaging_handovers: 'handover',
} as const satisfies Record<ActivityEvent['field'], ActivityInput['type']>;

/** The dedup id of an activity: the item's id with what happened to it; none for items without an id. */
export function activityEventId(event: ActivityEvent): string | undefined {
  const id = str(event.item.id);
  if (!id) return undefined;
  return [event.field, id, str(event.item.event) ?? str(event.item.status) ?? ''].join(':');
}

/**
 * A 2025–2026 activity about the user (meta-2026-changes.md §1.5, §1.8) goes to the agent that owns the
 * conversation, typed; it changes neither the session nor the 24 h window. Without an owner nobody is told
 * (counted: the raw delivery keeps it).
 */
export function routeActivity(event: ActivityEvent, ref: UserRef, batch: Batch, emit: boolean): void {
  const { item } = event;
  const type = agentTypes[event.field];
  const input: ActivityInput = {
    eventId: activityEventId(event) ?? `${event.field}:${event.trace_id}:${ref.userKey}`,
    type,
    text: activityText(event.field, item),
    timestamp: metaTimestamp(item.timestamp, new Date(event.received_at)),
    raw: item,
    ...(event.field === 'calls' ? { call: callOf(item) } : {}),
  };
  tellOwner(batch, ref, input, emit);
}

/** A call's status (`statuses[]` with `type: "call"`: RINGING, ACCEPTED, REJECTED) goes the same way. */
export function routeCallStatus(event: StatusEvent, ref: UserRef, batch: Batch, emit: boolean): void {
  const { item } = event;
  tellOwner(
    batch,
    ref,
    {
      eventId: `calls:${item.id}:${item.status}`,
      type: 'call',
      text: item.status,
      timestamp: metaTimestamp(item.timestamp, new Date(event.received_at)),
      raw: item,
      call: { id: item.id, status: item.status },
    },
    emit,
  );
}

function tellOwner(batch: Batch, ref: UserRef, input: ActivityInput, emit: boolean): void {
  const { deps } = batch;
  const state = batch.users.get(ref.conversation);
  const session = state?.session;
  const agent = session?.state === 'agent' ? deps.agents().find((a) => a.id === session.agentId) : undefined;
  deps.metrics.routed.inc({ type: agent ? input.type : `${input.type}_unowned` });
  if (!agent || !emit) return;
  const window = state?.window ?? null;
  const value = toActivityEvent(agent, input, {
    userKey: ref.userKey,
    phoneNumberId: ref.phoneNumberId,
    ...displayOf(ref),
    user: window?.user ?? { user_id: ref.userKey },
    windowExpiresAt: window ? windowExpiresAt(window.lastInboundAt) : null,
  });
  batch.records.push({ topic: agent.topics.in, key: ref.userKey, value });
}

function callOf(item: Item): NonNullable<AgentInboundEvent['call']> {
  const duration = num(item.duration);
  return {
    id: str(item.id) ?? '',
    ...(str(item.event) ? { event: str(item.event) } : {}),
    ...(str(item.status) ? { status: str(item.status) } : {}),
    ...(str(item.direction) ? { direction: str(item.direction) } : {}),
    ...(duration !== undefined ? { duration } : {}),
    ...(str(item.start_time) ? { start_time: str(item.start_time) } : {}),
    ...(str(item.end_time) ? { end_time: str(item.end_time) } : {}),
  };
}

/** The event's `text`: a call's event or status, an echo's or standby message's text, else its type. */
function activityText(field: ActivityEvent['field'], item: Item): string {
  if (field === 'calls') return str(item.status) ?? str(item.event) ?? 'call';
  const text = item.text as { body?: unknown } | undefined;
  return str(text?.body) ?? str(item.type) ?? field;
}
