import type { AgentErrorEvent } from '@wa-broker/shared/agent-errors';
import { describeMetaError } from './error-text.js';
import type { EventPlan } from './events.js';

/**
 * An `<agent>-error` event becomes a line in the user's conversation and, when it names one of our replies,
 * marks that reply failed with the same words.
 */
export function planAgentError(event: AgentErrorEvent): EventPlan {
  // A refused read receipt only means the user's ticks stay grey; the operator did nothing wrong, so it is no
  // line in the conversation (it would become the list's preview). Routers since issue 16 accept them anyway.
  if (isReadReceipt(event)) return { conversation: { wa_id: event.waID, window_expires_at: null } };
  const text = event.meta_error ? describeMetaError(event.meta_error) : event.text;
  const error = { code: event.code, text, ...(event.meta_error ? { meta: event.meta_error } : {}) };
  const plan: EventPlan = {
    conversation: { wa_id: event.waID, window_expires_at: null },
    message: {
      id: event.event_id,
      wa_id: event.waID,
      direction: 'system',
      type: 'error',
      text,
      timestamp: event.timestamp,
      error,
      ...(event.idempotency_key ? { context_message_id: event.idempotency_key } : {}),
    },
  };
  if (event.idempotency_key || event.wamid) {
    plan.status = {
      wa_id: event.waID,
      status: 'failed',
      timestamp: event.timestamp,
      error,
      ...(event.idempotency_key ? { message_id: event.idempotency_key } : {}),
      ...(event.wamid ? { wamid: event.wamid } : {}),
    };
  }
  return plan;
}

function isReadReceipt(event: AgentErrorEvent): boolean {
  if (!event.raw_payload) return false;
  try {
    const raw: unknown = JSON.parse(Buffer.from(event.raw_payload, 'base64').toString('utf8'));
    return (raw as { message_type?: unknown } | null)?.message_type === 'mark_as_read';
  } catch {
    return false; // not JSON: not one of our `-out` messages
  }
}
