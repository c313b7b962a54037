import { z } from 'zod';
import { agentErrorCodes } from './agent-errors.js';
import {
  conversationStatuses,
  operatorConversation,
  operatorError,
  operatorMessage,
  operatorMessageStatuses,
  operatorTemplate,
} from './operator-protocol-objects.js';
import { operatorReply } from './operator-protocol-replies.js';
import { signedInOperator, teamClientFrames, teamServerFrames } from './operator-protocol-team.js';

export * from './operator-protocol-objects.js';
export * from './operator-protocol-replies.js';
export * from './operator-protocol-team.js';

/**
 * Operator UI ⇄ agent-backend over WebSocket (`/ws`). Every frame is one JSON object with `v` and `type`.
 * The client may tag a request with `request_id`; the answer (or an `error` frame) echoes it.
 * Pushed frames (`message`, `status`) carry no `request_id`.
 */
export const operatorProtocolVersion = 1 as const;

const clientBase = {
  v: z.literal(operatorProtocolVersion),
  request_id: z.string().min(1).max(100).optional(),
};
const limit = z.number().int().min(1).max(200).optional();

export const clientFrame = z.discriminatedUnion('type', [
  z.object({ ...clientBase, type: z.literal('ping') }),
  z.object({
    ...clientBase,
    type: z.literal('list_conversations'),
    limit,
    before: z.string().optional(),
    /** Only the conversations of `me`, of an operator id, or the `unassigned` queue. */
    assignee: z.string().min(1).optional(),
    status: z.enum(conversationStatuses).optional(),
  }),
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
  ...teamClientFrames,
]);
export type ClientFrame = z.infer<typeof clientFrame>;

export const frameErrorCodes = [
  'invalid_frame',
  'unauthorized',
  'window_closed',
  'not_found',
  'queue_failed',
  'internal',
  /** The operator's role or relation to the conversation does not allow it (e.g. releasing another's). */
  'forbidden',
  /** A claim lost to a colleague who was first. */
  'already_assigned',
  /** A hand-over to an unknown or disabled operator. */
  'invalid_operator',
  /** A canned reply's shortcut already exists. */
  'conflict',
] as const;

const serverBase = { v: z.literal(operatorProtocolVersion), request_id: z.string().optional() };

export const serverFrame = z.discriminatedUnion('type', [
  z.object({
    ...serverBase,
    type: z.literal('welcome'),
    agent: z.string(),
    server_time: z.string(),
    /** Who this socket is signed in as (absent only with the development token). */
    operator: signedInOperator.optional(),
  }),
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
  ...teamServerFrames,
]);
export type ServerFrame = z.infer<typeof serverFrame>;
export type ServerFrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;
