import { z } from 'zod';

/** Default names of the notification topics (each service can rename them in its config). */
export const notificationTopics = {
  /** notify → router: one template send per recipient and attempt, keyed by the recipient's phone. */
  send: 'notifications-send',
  /** router and notify → anyone: every status change of a recipient, keyed by the notification id. */
  events: 'notification-events',
} as const;

const mediaRef = z.object({ link: z.string().optional(), id: z.string().optional() });

/** A template parameter as Meta takes it (docs §5.5): text, currency, date_time or media by link or id. */
export const templateParameter = z.union([
  z.object({ type: z.literal('text'), text: z.string(), parameter_name: z.string().optional() }),
  z.object({
    type: z.literal('currency'),
    currency: z.object({ fallback_value: z.string(), code: z.string(), amount_1000: z.number().int() }),
    parameter_name: z.string().optional(),
  }),
  z.object({
    type: z.literal('date_time'),
    date_time: z.object({ fallback_value: z.string() }),
    parameter_name: z.string().optional(),
  }),
  z.object({ type: z.literal('image'), image: mediaRef }),
  z.object({ type: z.literal('video'), video: mediaRef }),
  z.object({ type: z.literal('document'), document: mediaRef.extend({ filename: z.string().optional() }) }),
  z.object({ type: z.literal('payload'), payload: z.string() }),
]);
export type TemplateParameter = z.infer<typeof templateParameter>;

export const templateComponent = z.object({
  type: z.enum(['header', 'body', 'button']),
  sub_type: z.enum(['quick_reply', 'url']).optional(),
  index: z.string().optional(),
  parameters: z.array(templateParameter),
});
export type TemplateComponent = z.infer<typeof templateComponent>;

/** The `template` object of a Graph API send, exactly as Meta takes it. */
export const graphTemplate = z.object({
  name: z.string().min(1),
  language: z.object({ policy: z.literal('deterministic').optional(), code: z.string().min(1) }),
  components: z.array(templateComponent),
});
export type GraphTemplate = z.infer<typeof graphTemplate>;

/**
 * notify → router on `notifications-send`, keyed by `to`. The router sends it once per
 * (`recipient_id`, `attempt`): a replayed record is skipped, a resend is a new attempt.
 */
export const notificationSendRequest = z.object({
  v: z.literal(1),
  notification_id: z.string().min(1),
  recipient_id: z.string().min(1),
  attempt: z.number().int().min(1),
  /** The user's phone, digits only (Meta's wa_id). */
  to: z.string().regex(/^\d{7,15}$/),
  template: graphTemplate,
  requested_at: z.string(),
});
export type NotificationSendRequest = z.infer<typeof notificationSendRequest>;

/**
 * A recipient's life: queued (waiting for its turn) → sent (Meta accepted it) → delivered → read; failed
 * (Meta's code and title) may follow queued or sent; cancelled only what was never sent.
 */
export const recipientStatuses = ['queued', 'cancelled', 'sent', 'delivered', 'read', 'failed'] as const;
export type RecipientStatus = (typeof recipientStatuses)[number];

export const notificationError = z.object({
  code: z.number().int(),
  title: z.string(),
  details: z.string().optional(),
});
export type NotificationError = z.infer<typeof notificationError>;

/** One status change of one recipient on `notification-events`, keyed by `notification_id`. */
export const notificationEvent = z.object({
  v: z.literal(1),
  /** `<recipient_id>:<attempt>:<status>`: the same change published twice has the same id. */
  event_id: z.string().min(1),
  notification_id: z.string().min(1),
  recipient_id: z.string().min(1),
  attempt: z.number().int().min(1),
  to: z.string(),
  status: z.enum(recipientStatuses),
  wamid: z.string().optional(),
  error: notificationError.optional(),
  /** When the change happened (Meta's timestamp for webhook statuses). */
  at: z.string(),
  source: z.enum(['notify', 'router']),
});
export type NotificationEvent = z.infer<typeof notificationEvent>;

/** Builds an event with its deterministic id. */
export function toNotificationEvent(input: Omit<NotificationEvent, 'v' | 'event_id'>): NotificationEvent {
  return { v: 1, event_id: `${input.recipient_id}:${input.attempt}:${input.status}`, ...input };
}
