import { z } from 'zod';
import {
  AudioMessage,
  ButtonMessage,
  ContactsMessage,
  DocumentMessage,
  ImageMessage,
  InteractiveMessage,
  LocationMessage,
  MetaContact,
  MetaError,
  MetaMetadata,
  ReactionMessage,
  StatusItem,
  StickerMessage,
  TextMessage,
  UnknownMessage,
  UnsupportedMessage,
  VideoMessage,
} from './meta-webhook-items.js';

export * from './meta-webhook-items.js';

/**
 * Contracts of what the webhook service publishes. Three topics:
 * - `webhook` ({@link WebhookEvent}): one event per inbound message, status or error item, keyed by the user
 *   (the business-scoped `user_id`, else `wa_id`: user-identity.ts; system errors by `phone_number_id`).
 * - business events ({@link BusinessEvent}): every other `changes[].field`, passed through whole.
 * - raw event log: the untouched POST body as the value, with {@link rawDeliveryHeaders} as Kafka headers.
 *
 * Meta's wire names are kept (snake_case). Objects are loose: fields Meta adds later pass through. The items inside
 * the events are Meta's own shapes (meta-webhook-items.ts, re-exported here).
 */
export const WEBHOOK_EVENT_VERSION = 1 as const;

/** Who the event is about. At least one is set for messages and statuses; null for system errors. */
export const UserIdentity = z.object({
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
  parent_user_id: z.string().optional(),
});
export type UserIdentity = z.infer<typeof UserIdentity>;

const envelope = {
  v: z.literal(WEBHOOK_EVENT_VERSION),
  /** One id per POST, shared by every event, business event and raw record it produced. */
  trace_id: z.string(),
  /** When the webhook received the POST (ISO 8601). */
  received_at: z.iso.datetime(),
  /** Meta's `timestamp` of the item as ISO 8601; null when absent or unreadable. */
  occurred_at: z.iso.datetime().nullable(),
  /** `entry[].id`. */
  waba_id: z.string().nullable(),
  /** The business number that received or sent it: route by this. */
  phone_number_id: z.string().nullable(),
  metadata: MetaMetadata.nullable(),
  user: UserIdentity.nullable(),
  /** The matching `contacts[]` entry (profile name), when Meta sent one. */
  contact: MetaContact.nullable(),
};

function messageEvent<Type extends string, Item extends z.ZodType>(type: Type, item: Item) {
  return z.object({ ...envelope, kind: z.literal('message'), message_type: z.literal(type), item });
}

export const MessageEvent = z.discriminatedUnion('message_type', [
  messageEvent('text', TextMessage),
  messageEvent('interactive', InteractiveMessage),
  messageEvent('button', ButtonMessage),
  messageEvent('image', ImageMessage),
  messageEvent('video', VideoMessage),
  messageEvent('audio', AudioMessage),
  messageEvent('document', DocumentMessage),
  messageEvent('sticker', StickerMessage),
  messageEvent('location', LocationMessage),
  messageEvent('reaction', ReactionMessage),
  messageEvent('contacts', ContactsMessage),
  messageEvent('unsupported', UnsupportedMessage),
  /** Passed through whole: `item.type` holds Meta's type. */
  messageEvent('unknown', UnknownMessage),
]);
export type MessageEvent = z.infer<typeof MessageEvent>;
export type MessageType = MessageEvent['message_type'];

export const StatusEvent = z.object({ ...envelope, kind: z.literal('status'), item: StatusItem });
export type StatusEvent = z.infer<typeof StatusEvent>;

/** A system or app-level error (`value.errors[]`), not tied to a user: keyed by `phone_number_id`. */
export const ErrorEvent = z.object({ ...envelope, kind: z.literal('error'), item: MetaError });
export type ErrorEvent = z.infer<typeof ErrorEvent>;

/**
 * Fields of 2025–2026 that are about one user without being their message (meta-2026-changes.md §1.5, §1.8):
 * Calling API events, what the business wrote from the WhatsApp Business app (`smb_message_echoes`), the Meta
 * Business Agent's conversation while it holds control (`standby`), and control changes
 * (`messaging_handovers`). One `activity` event per item, keyed by the user, routed to the owning agent.
 */
export const activityFields = ['calls', 'smb_message_echoes', 'standby', 'messaging_handovers'] as const;
export type ActivityField = (typeof activityFields)[number];

export const ActivityEvent = z.object({
  ...envelope,
  kind: z.literal('activity'),
  field: z.enum(activityFields),
  item: z.looseObject({}),
});
export type ActivityEvent = z.infer<typeof ActivityEvent>;

/** What the `webhook` topic carries, discriminated by `kind` (then `message_type` for messages). */
export const WebhookEvent = z.discriminatedUnion('kind', [
  MessageEvent,
  StatusEvent,
  ErrorEvent,
  ActivityEvent,
]);
export type WebhookEvent = z.infer<typeof WebhookEvent>;
export type WebhookEventKind = WebhookEvent['kind'];

/** Fields Meta documents besides `messages`; any other name is passed through the same way. */
export const knownBusinessFields = [
  'account_alerts',
  'account_review_update',
  'account_update',
  'business_capability_update',
  'calls',
  'history',
  'message_echoes',
  'message_template_components_update',
  'message_template_quality_update',
  'message_template_status_update',
  'phone_number_name_update',
  'phone_number_quality_update',
  'security',
  'smb_app_state_sync',
  'smb_message_echoes',
  'template_category_update',
  'user_preferences',
] as const;

/**
 * One `changes[]` item whose field is not `messages` (or a `messages` change with no message, status or error),
 * passed through whole. Keyed by `phone_number_id`, else the WABA id.
 */
export const BusinessEvent = z.object({
  v: z.literal(WEBHOOK_EVENT_VERSION),
  kind: z.literal('business'),
  /** Meta's `changes[].field`, e.g. `account_update`; `(missing)` when Meta sent none. */
  field: z.string(),
  trace_id: z.string(),
  received_at: z.iso.datetime(),
  /** `entry[].time` as ISO 8601, when present. */
  entry_time: z.iso.datetime().nullable(),
  waba_id: z.string().nullable(),
  phone_number_id: z.string().nullable(),
  value: z.unknown(),
});
export type BusinessEvent = z.infer<typeof BusinessEvent>;

/** Kafka headers of a raw event-log record; its value is the POST body exactly as received. */
export const rawDeliveryHeaders = {
  /** The `X-Hub-Signature-256` header as Meta sent it, so a replay can re-verify the bytes. */
  signature: 'x-hub-signature-256',
  /** ISO 8601 receiving time. */
  receivedAt: 'received-at',
  traceId: 'trace-id',
} as const;

/**
 * Kafka headers a replay (`pnpm replay`) puts on the webhook events it re-derives. With `mode: rebuild-state`
 * the router only rebuilds its state (sessions, windows, dedup marks) from them and sends nothing: the replay
 * that follows a lost Redis, whose events were all routed once already.
 */
export const replayHeaders = {
  replayed: 'replayed',
  mode: 'replay-mode',
} as const;
export const replayModes = ['route', 'rebuild-state'] as const;
export type ReplayMode = (typeof replayModes)[number];
