import { z } from 'zod';
import {
  inboundMedia,
  metaErrorDetail,
  sessionReasons,
  sharedContacts,
  sharedLocation,
  tappedReply,
  userReaction,
} from './agent-inbound.js';
import { messageTemplateRecord } from './message-templates.js';
import { operatorReply } from './operator-protocol-replies.js';

/** The things operator frames carry: bubbles, conversations, templates (frames in operator-protocol.ts). */
export const conversationStatuses = ['open', 'resolved'] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];

export const messageDirections = ['in', 'out', 'system'] as const;
export const operatorMessageStatuses = ['pending', 'sent', 'delivered', 'read', 'failed'] as const;
export type OperatorMessageStatus = (typeof operatorMessageStatuses)[number];

export const operatorError = z.object({
  /** An `agent-errors` code, or `queue_failed` when the reply could not be published. */
  code: z.string(),
  /** Plain words for the operator. */
  text: z.string(),
  meta: metaErrorDetail.optional(),
});

/** One bubble: an inbound message, an operator reply, or a system line (error, session change). */
export const operatorMessage = z.object({
  /** event_id (= wamid) for inbound and system lines, the idempotency key for replies. */
  id: z.string(),
  wa_id: z.string(),
  direction: z.enum(messageDirections),
  /** Inbound: the agent-inbound type. Out: the reply kind. System: `error`, `session_started`, `session_ended`. */
  type: z.string(),
  /** Text, caption, chosen title, reply body or template name: what a one-line preview shows. */
  text: z.string(),
  timestamp: z.iso.datetime({ offset: true }),
  wamid: z.string().optional(),
  status: z.enum(operatorMessageStatuses).optional(),
  error: operatorError.optional(),
  /** For inbound messages: whether an operator has seen it. */
  seen: z.boolean().optional(),
  reply: tappedReply.optional(),
  /**
   * A photo, voice note, video, document or sticker, received or sent. `url` is a same-origin link the agent
   * backend signed for a short while (an `<img>`/`<audio>`/`<video>` src or a download href); the file may still
   * be on its way into storage for a moment after the message arrives (add `&wait=<ms>` or retry).
   */
  media: inboundMedia
    .pick({
      id: true,
      path: true,
      mime_type: true,
      caption: true,
      filename: true,
      voice: true,
      animated: true,
    })
    .extend({ url: z.string().optional(), size: z.number().int().optional() })
    .optional(),
  location: sharedLocation.omit({ url: true }).optional(),
  contacts: sharedContacts.optional(),
  reaction: userReaction.optional(),
  context_message_id: z.string().optional(),
  /** What the operator sent (replies only). */
  outbound: operatorReply.optional(),
  session: z.object({ reason: z.enum(sessionReasons), note: z.string().optional() }).optional(),
});
export type OperatorMessage = z.infer<typeof operatorMessage>;

export const operatorConversation = z.object({
  /** The user's key (the BSUID when known, else the phone): what every frame about them names. */
  wa_id: z.string(),
  name: z.string().optional(),
  /** The WhatsApp username, when the user has one. */
  username: z.string().optional(),
  /** The phone number, when Meta shares it (never for username-only users). */
  phone: z.string().optional(),
  /** The business number the user writes to, and how Meta shows it. */
  phone_number_id: z.string().optional(),
  display_phone_number: z.string().optional(),
  last_message: operatorMessage.nullable(),
  last_activity_at: z.iso.datetime({ offset: true }),
  unread_count: z.number().int().min(0),
  /** Free-form replies are allowed until then; null when the user never wrote. */
  window_expires_at: z.iso.datetime({ offset: true }).nullable(),
  session: z.enum(['open', 'ended', 'unknown']),
  /** The operator answering this user (an operator id), null while the conversation waits in the queue. */
  assignee: z.string().nullable(),
  assigned_at: z.iso.datetime({ offset: true }).nullable(),
  /** `resolved` until the user writes again (which reopens it for the same assignee) or an operator reopens it. */
  status: z.enum(conversationStatuses),
});
export type OperatorConversation = z.infer<typeof operatorConversation>;

/** A template an operator can send from a number: its WABA's record, as the template picker shows it. */
export const operatorTemplate = messageTemplateRecord.pick({
  id: true,
  name: true,
  language: true,
  category: true,
  status: true,
  quality: true,
  parameter_format: true,
  components: true,
  parameters: true,
});
export type OperatorTemplate = z.infer<typeof operatorTemplate>;
