import type { StatusEvent, WebhookEvent } from '@wa-broker/shared/webhook-events';

const envelope = (user: string, at: Date) => ({
  v: 1 as const,
  trace_id: `trace-${at.getTime()}`,
  received_at: at.toISOString(),
  occurred_at: at.toISOString(),
  waba_id: 'waba-1',
  phone_number_id: 'phone-1',
  metadata: null,
  user: { wa_id: user },
});

/** A user's text message as the webhook publishes it; Meta's timestamp is `at`. */
export function textEvent(user: string, wamid: string, body: string, at: Date): WebhookEvent {
  return {
    ...envelope(user, at),
    kind: 'message',
    message_type: 'text',
    contact: { wa_id: user, profile: { name: `User ${user}` } },
    item: { id: wamid, from: user, timestamp: String(at.getTime() / 1000), type: 'text', text: { body } },
  } as WebhookEvent;
}

/** A status of a message we sent to `user`. */
export function statusEvent(
  user: string,
  wamid: string,
  status: string,
  at: Date,
  extra: {
    errors?: { code: number; title?: string; error_data?: { details?: string } }[];
    callbackData?: string;
    pricing?: Record<string, unknown>;
  } = {},
): StatusEvent {
  return {
    ...envelope(user, at),
    kind: 'status',
    contact: null,
    item: {
      id: wamid,
      status,
      timestamp: String(at.getTime() / 1000),
      recipient_id: user,
      ...(extra.errors ? { errors: extra.errors } : {}),
      ...(extra.callbackData ? { biz_opaque_callback_data: extra.callbackData } : {}),
      ...(extra.pricing ? { pricing: extra.pricing } : {}),
    },
  };
}
