import { z } from 'zod';
import { metaMediaTypes } from './meta-media-types.js';

/**
 * Router → agent, on the agent's `<agent>-in` topic, keyed by the user's id.
 * The Go original's fields (`waID`, `type`, `text`, `raw_payload`) keep their names and meaning; the rest is new.
 * - `text`: the message text, the tapped row/button id (as the original), the status name, or a media caption.
 * - `raw_payload`: base64 of the Meta item JSON (the original sent the whole webhook body), or null.
 */
export const agentInboundTypes = [
  'text',
  'list_reply',
  'button_reply',
  ...metaMediaTypes,
  'location',
  'contacts',
  'reaction',
  'unsupported',
  'status',
  'session_started',
  'session_ended',
  'identity_changed',
  // Coexistence and 2026 webhook fields (meta-2026-changes.md §1.5, §1.8): the user edited or deleted a message,
  // a call (Calling API), what the business wrote from the Business app, the Meta Business Agent's conversation
  // and control changes.
  'edit',
  'revoke',
  'call',
  'echo',
  'standby',
  'handover',
  // The media service stored a user's file (issue 18): follows the media event, with the file's size.
  'media_stored',
] as const;
export type AgentInboundType = (typeof agentInboundTypes)[number];

export const userIdentity = z.object({
  /** Phone-based WhatsApp id; absent for users Meta identifies only by a business-scoped id. */
  wa_id: z.string().min(1).optional(),
  /** Business-scoped user id (BSUID); messages to users without a known phone go in `recipient`, not `to`. */
  user_id: z.string().min(1).optional(),
  /** The BSUID shared across linked business portfolios (`US.ENT.…`). */
  parent_user_id: z.string().min(1).optional(),
  /** The WhatsApp username the user chose, when they have one. */
  username: z.string().optional(),
  /** Profile name. */
  name: z.string().optional(),
});
export type UserIdentity = z.infer<typeof userIdentity>;

export const metaErrorDetail = z.object({
  code: z.number().int(),
  title: z.string(),
  message: z.string().optional(),
  details: z.string().optional(),
});
export type MetaErrorDetail = z.infer<typeof metaErrorDetail>;

/**
 * A media message's attachment, as Meta describes it. The broker's media service stores the bytes (issue 18):
 * `path` is where it serves them (media-access.ts), for the agent's media credential or a signed link.
 */
export const inboundMedia = z.object({
  id: z.string(),
  /** `/v1/media/<phone_number_id>/<id>` on the media service; absent in events of older routers. */
  path: z.string().optional(),
  mime_type: z.string().optional(),
  /** Meta's digest (base64 or hex) on the media event; the stored bytes' hex digest on `media_stored`. */
  sha256: z.string().optional(),
  /** Bytes, once known: on `media_stored` (Meta's webhook does not say). */
  size: z.number().int().nonnegative().optional(),
  /** On `media_stored`: the media event's type (`image`, `audio`, …). */
  type: z.enum(metaMediaTypes).optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  animated: z.boolean().optional(),
  voice: z.boolean().optional(),
});

/** The list row or reply button the user tapped. */
export const tappedReply = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().optional(),
});

/** A location the user shared. */
export const sharedLocation = z.object({
  latitude: z.number(),
  longitude: z.number(),
  name: z.string().optional(),
  address: z.string().optional(),
  url: z.string().optional(),
});

/** Contact cards the user shared, as Meta sends them. */
export const sharedContacts = z.array(z.record(z.string(), z.unknown()));

/** `emoji` absent means the user removed their reaction. */
export const userReaction = z.object({ message_id: z.string(), emoji: z.string().optional() });

export const deliveryStatuses = ['sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export const sessionReasons = [
  'menu_choice',
  'transfer',
  'user_exit',
  'agent_ended',
  'agent_removed',
  'expired',
] as const;

/** Why a user's key changed: Meta's two system messages, or a BSUID first seen for a user known by phone. */
export const identityChangeReasons = [
  'user_changed_number',
  'user_changed_user_id',
  'user_id_learnt',
] as const;
export type IdentityChangeReason = (typeof identityChangeReasons)[number];

export const agentInboundEvent = z.object({
  v: z.literal(1),
  /** Unique per event; agents dedupe on it (Kafka is at-least-once). Inbound messages use the wamid. */
  event_id: z.string().min(1),
  /** The user's key (user-identity.ts): the BSUID when known, else wa_id. Answer to it on `-out`. */
  waID: z.string().min(1),
  /** The business number the user wrote to (replies leave from it); absent in events of older routers. */
  phone_number_id: z.string().min(1).optional(),
  /** That number as Meta shows it (`+1 555-010-0000`), when the webhook named it. */
  display_phone_number: z.string().optional(),
  type: z.enum(agentInboundTypes),
  text: z.string(),
  raw_payload: z.string().nullable(),
  agent: z.string().min(1),
  user: userIdentity,
  /** Meta's timestamp of the message or status (ISO 8601); the router's clock for session events. */
  timestamp: z.string(),
  /** When free-form replies stop being allowed (last inbound message + 24 h); null if the user never wrote. */
  window_expires_at: z.string().nullable(),
  /** wamid of the inbound message (absent for statuses and session events); on `media_stored`, the media message's. */
  wamid: z.string().optional(),
  /** The business message this one replies to or reacts to. */
  context: z
    .object({ message_id: z.string(), from: z.string().optional(), forwarded: z.boolean().optional() })
    .optional(),
  reply: tappedReply.optional(),
  media: inboundMedia.optional(),
  location: sharedLocation.optional(),
  contacts: sharedContacts.optional(),
  reaction: userReaction.optional(),
  status: z
    .object({
      wamid: z.string(),
      status: z.enum(deliveryStatuses),
      /** The agent's idempotency key of the outbound message this status is about. */
      idempotency_key: z.string().optional(),
      errors: z.array(metaErrorDetail).optional(),
    })
    .optional(),
  session: z
    .object({
      reason: z.enum(sessionReasons),
      from_agent: z.string().optional(),
      note: z.string().optional(),
    })
    .optional(),
  /** On `edit` (the new text is `text`) and `revoke`: the user's message it changes. */
  original_message_id: z.string().optional(),
  /** On `call`: Calling API event (`connect`, `terminate`, …) or call status (`RINGING`, `ACCEPTED`, …). */
  call: z
    .object({
      id: z.string(),
      event: z.string().optional(),
      status: z.string().optional(),
      direction: z.string().optional(),
      /** Seconds, on a finished call. */
      duration: z.number().optional(),
      start_time: z.string().optional(),
      end_time: z.string().optional(),
    })
    .optional(),
  /**
   * On `identity_changed`: the user's key changed from `previous_waID` to `waID` (a new number or BSUID, or a
   * BSUID learnt for a user known until then by phone). Everything kept under the old key belongs to the new one.
   */
  identity: z
    .object({
      reason: z.enum(identityChangeReasons),
      previous_waID: z.string().min(1),
    })
    .optional(),
});
export type AgentInboundEvent = z.infer<typeof agentInboundEvent>;
