import { z } from 'zod';
import { agentErrorCodes } from './agent-errors.js';
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

export * from './operator-protocol-replies.js';

/**
 * Operator UI ⇄ agent-backend over WebSocket (`/ws`). Every frame is one JSON object with `v` and `type`.
 * The client may tag a request with `request_id`; the answer (or an `error` frame) echoes it.
 * Pushed frames (`message`, `status`) carry no `request_id`.
 */
export const operatorProtocolVersion = 1 as const;

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

const clientBase = {
  v: z.literal(operatorProtocolVersion),
  request_id: z.string().min(1).max(100).optional(),
};
const limit = z.number().int().min(1).max(200).optional();

export const clientFrame = z.discriminatedUnion('type', [
  z.object({ ...clientBase, type: z.literal('ping') }),
  z.object({ ...clientBase, type: z.literal('list_conversations'), limit, before: z.string().optional() }),
  z.object({
    ...clientBase,
    type: z.literal('get_history'),
    wa_id: z.string().min(1),
    limit,
    /** `next_before` of the previous page: older messages only. */
    before: z.string().optional(),
  }),
  z.object({
    ...clientBase,
    type: z.literal('send_reply'),
    wa_id: z.string().min(1),
    /** Chosen by the client, so a resend after a reconnect is not sent twice. */
    idempotency_key: z.string().min(8).max(200),
    reply: operatorReply,
    context_message_id: z.string().optional(),
  }),
  z.object({ ...clientBase, type: z.literal('mark_read'), wa_id: z.string().min(1) }),
  /** The approved templates of a conversation's business number (`wa_id`) or of a number itself. */
  z
    .object({
      ...clientBase,
      type: z.literal('list_templates'),
      wa_id: z.string().min(1).optional(),
      phone_number_id: z.string().min(1).optional(),
    })
    .refine((frame) => Boolean(frame.wa_id) !== Boolean(frame.phone_number_id), {
      message: 'name a conversation (wa_id) or a business number (phone_number_id)',
      path: ['wa_id'],
    }),
]);
export type ClientFrame = z.infer<typeof clientFrame>;

export const frameErrorCodes = [
  'invalid_frame',
  'unauthorized',
  'window_closed',
  'not_found',
  'queue_failed',
  'internal',
] as const;

const serverBase = { v: z.literal(operatorProtocolVersion), request_id: z.string().optional() };

export const serverFrame = z.discriminatedUnion('type', [
  z.object({ ...serverBase, type: z.literal('welcome'), agent: z.string(), server_time: z.string() }),
  z.object({ ...serverBase, type: z.literal('pong') }),
  z.object({
    ...serverBase,
    type: z.literal('conversations'),
    conversations: z.array(operatorConversation),
    next_before: z.string().nullable(),
  }),
  z.object({
    ...serverBase,
    type: z.literal('history'),
    wa_id: z.string(),
    /** Oldest first. */
    messages: z.array(operatorMessage),
    next_before: z.string().nullable(),
  }),
  z.object({ ...serverBase, type: z.literal('reply_accepted'), message: operatorMessage }),
  /**
   * The answer to `list_templates`, and pushed (no `request_id`) when the templates of a number's WABA change,
   * so an open picker refreshes. `phone_number_id` null: the conversation's number is not known (no templates).
   */
  z.object({
    ...serverBase,
    type: z.literal('templates'),
    /** The conversation, when the request named one. */
    wa_id: z.string().optional(),
    phone_number_id: z.string().nullable(),
    waba_id: z.string().nullable(),
    /** Approved ones only, by name then language. */
    templates: z.array(operatorTemplate),
  }),
  z.object({ ...serverBase, type: z.literal('read_marked'), wa_id: z.string() }),
  /** Pushed: a new inbound message, session change or router error line. */
  z.object({
    ...serverBase,
    type: z.literal('message'),
    message: operatorMessage,
    /**
     * What the event says about its conversation, so a client can update the list without asking.
     * A null window means "no news" (router errors carry none), never "closed".
     */
    conversation: z
      .object({ name: z.string().optional(), window_expires_at: z.iso.datetime({ offset: true }).nullable() })
      .optional(),
  }),
  /**
   * Pushed: the user's key changed (a new number or BSUID): the conversation `from` is now `to`, history and
   * all. Clients rename it (or reload the list).
   */
  z.object({ ...serverBase, type: z.literal('conversation_moved'), from: z.string(), to: z.string() }),
  /** Pushed: a reply's delivery moved on (never backwards) or failed. */
  z.object({
    ...serverBase,
    type: z.literal('status'),
    wa_id: z.string(),
    /** The reply's id (its idempotency key) when known; otherwise match on `wamid`. */
    message_id: z.string().optional(),
    wamid: z.string().optional(),
    status: z.enum(operatorMessageStatuses),
    error: operatorError.optional(),
    timestamp: z.string(),
  }),
  /** Pushed: the file of the inbound message `wamid` is stored; its size (and MIME type) join its media. */
  z.object({
    ...serverBase,
    type: z.literal('media_stored'),
    wa_id: z.string(),
    wamid: z.string(),
    media_id: z.string(),
    size: z.number().int().nonnegative(),
    mime_type: z.string().optional(),
  }),
  z.object({
    ...serverBase,
    type: z.literal('error'),
    code: z.enum([...frameErrorCodes, ...agentErrorCodes]),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
]);
export type ServerFrame = z.infer<typeof serverFrame>;
export type ServerFrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;
