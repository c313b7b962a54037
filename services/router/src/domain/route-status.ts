import { type DeliveryStatus, deliveryStatuses, type MetaErrorDetail } from '@wa-broker/shared/agent-inbound';
import { isStatusForward } from '@wa-broker/shared/delivery-status';
import { windowExpiresAt } from '@wa-broker/shared/reply-window';
import { addressOfKey } from '@wa-broker/shared/user-identity';
import type { StatusEvent, StatusItem } from '@wa-broker/shared/webhook-events';
import type { Agent } from './agent.js';
import { toAgentErrorEvent, toStatusEvent } from './agent-events.js';
import { metaTimestamp } from './inbound-message.js';
import type { OutRecord, SentMessage, UserWindow } from './ports.js';
import { failedStatusError } from './send-policy.js';

export interface StatusToRoute {
  event: StatusEvent;
  /** Who sent the wamid (the mapping, or the send reference Meta echoed); null when no agent did. */
  sent: SentMessage | null;
  /** The last status forwarded for this wamid, including earlier in the same batch. */
  previous: DeliveryStatus | null;
  agents: readonly Agent[];
  /**
   * Whom the status is about, as the event names them (their current key; the sent record's key may be one
   * they had before an identity change), with their conversation's window for `window_expires_at`.
   */
  user: {
    userKey: string | undefined;
    phoneNumberId: string;
    displayPhoneNumber?: string;
    window: UserWindow | null;
  };
  now: Date;
}

export type StatusRoute =
  /** Not a status we track, not sent by an agent, or its agent is gone: counted, not forwarded. */
  | { kind: 'unmatched' }
  /** Meta delivers statuses concurrently and redelivers them: one that does not move forward is dropped. */
  | { kind: 'stale' }
  /** Forward to the owning agent's `-in`; a `failed` status also becomes an `-error` event (`records`). */
  | { kind: 'forward'; status: DeliveryStatus; records: OutRecord[] };

/**
 * Routes a status of an outbound message to the agent that sent it. The agent needs the status on `-in` (ticks)
 * and, when Meta failed the message after accepting it, a plain-words error on `-error`: 131047 arrives either
 * as the send's 400 or as a failed status, and both reach the agent as `window_closed`.
 */
export function routeStatus(input: StatusToRoute): StatusRoute {
  const { event, sent } = input;
  const { item } = event;
  const status = item.status as DeliveryStatus;
  const agent = sent ? input.agents.find((a) => a.id === sent.agentId) : undefined;
  if (!deliveryStatuses.includes(status) || !sent || !agent) return { kind: 'unmatched' };
  if (!isStatusForward(input.previous, status)) return { kind: 'stale' };
  const { idempotencyKey } = sent;
  const userKey = input.user.userKey ?? sent.userKey;
  const { phoneNumberId, window, displayPhoneNumber } = input.user;
  const errors = statusErrors(item);
  const statusInput = {
    wamid: item.id,
    status,
    timestamp: metaTimestamp(item.timestamp, new Date(event.received_at)),
    idempotencyKey,
    errors,
    raw: item,
  };
  const user = window?.user ?? addressOfKey(userKey);
  const records: OutRecord[] = [
    {
      topic: agent.topics.in,
      key: userKey,
      value: toStatusEvent(agent, statusInput, {
        userKey,
        phoneNumberId,
        ...(displayPhoneNumber ? { displayPhoneNumber } : {}),
        user,
        windowExpiresAt: window ? windowExpiresAt(window.lastInboundAt) : null,
      }),
    },
  ];
  if (status === 'failed') {
    const metaError = errors[0];
    const { code, text } = failedStatusError(metaError);
    const value = toAgentErrorEvent({
      eventId: `${item.id}:failed`,
      agentId: agent.id,
      userKey,
      phoneNumberId,
      code,
      text,
      now: input.now,
      rawPayload: item,
      idempotencyKey,
      wamid: item.id,
      ...(metaError ? { metaError } : {}),
    });
    records.push({ topic: agent.topics.error, key: userKey, value });
  }
  return { kind: 'forward', status, records };
}

/** Meta's errors of a status in the agents' shape; the title falls back to Meta's message, then the code. */
export function statusErrors(item: Pick<StatusItem, 'errors'>): MetaErrorDetail[] {
  return (item.errors ?? []).map((e) => ({
    code: e.code,
    title: e.title ?? e.message ?? `error ${e.code}`,
    ...(e.error_data?.details ? { details: e.error_data.details } : {}),
  }));
}
