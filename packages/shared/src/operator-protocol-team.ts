import { z } from 'zod';
import { operatorRoles } from './operator-accounts.js';
import { conversationStatuses, operatorConversation } from './operator-protocol-objects.js';

/**
 * The team frames of the operator protocol (issue 20): who is signed in and online, who answers which
 * conversation, typing, internal notes, canned replies, search, resolve/reopen. Merged into `clientFrame` and
 * `serverFrame` (operator-protocol.ts).
 */

/** The operator a socket belongs to (in `welcome`). */
export const signedInOperator = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(operatorRoles),
});
export type SignedInOperator = z.infer<typeof signedInOperator>;

/** A colleague as the inbox shows them: online while one of their sockets is open on any instance. */
export const teamMember = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(operatorRoles),
  disabled: z.boolean(),
  online: z.boolean(),
  /** The last moment they were seen online; null if never. */
  last_seen_at: z.iso.datetime({ offset: true }).nullable(),
});
export type TeamMember = z.infer<typeof teamMember>;

/** Why an assignment changed: an operator's action, auto-assignment, or the assignee's absence/removal. */
export const assignmentReasons = ['claim', 'release', 'hand_over', 'auto', 'offline', 'disabled'] as const;

/** A note on a conversation: seen by operators only, never sent to the user. */
export const operatorNote = z.object({
  id: z.string(),
  wa_id: z.string(),
  author_id: z.string(),
  author_name: z.string(),
  text: z.string(),
  created_at: z.iso.datetime({ offset: true }),
});
export type OperatorNote = z.infer<typeof operatorNote>;

/** `/refund`: a slash, then lower-case letters, digits, `_` or `-`. */
export const cannedShortcut = z
  .string()
  .trim()
  .regex(/^\/[a-z0-9_-]{1,31}$/, 'a slash and up to 31 of a-z 0-9 _ -');
const cannedText = z.string().trim().min(1, 'text is required').max(4096);

/** A snippet the agent's operators share, inserted in the composer by its shortcut. */
export const cannedReply = z.object({
  id: z.string(),
  shortcut: z.string(),
  text: z.string(),
  updated_by: z.string().nullable(),
  updated_at: z.iso.datetime({ offset: true }),
});
export type CannedReply = z.infer<typeof cannedReply>;

export const searchFields = ['name', 'phone', 'username', 'message'] as const;

/** One conversation found, with what matched: a field of the user or the newest matching message. */
export const searchResult = z.object({
  conversation: operatorConversation,
  matched: z.enum(searchFields),
  /** The matching text, cut around the match (at most ~120 characters). */
  snippet: z.string(),
  /** For `message`: the message matched and its time. */
  message_id: z.string().optional(),
  message_at: z.iso.datetime({ offset: true }).optional(),
});
export type SearchResult = z.infer<typeof searchResult>;

const clientBase = { v: z.literal(1), request_id: z.string().min(1).max(100).optional() };
const waId = z.string().min(1);
const limit = z.number().int().min(1).max(200).optional();

export const teamClientFrames = [
  z.object({ ...clientBase, type: z.literal('list_operators') }),
  /** Take a conversation from the queue: refused with `already_assigned` when someone was first. */
  z.object({ ...clientBase, type: z.literal('claim'), wa_id: waId }),
  /** Back to the queue (the assignee or an admin). */
  z.object({ ...clientBase, type: z.literal('release'), wa_id: waId }),
  /** To a colleague (an enabled operator id); by the assignee, an admin, or anyone while unassigned. */
  z.object({ ...clientBase, type: z.literal('hand_over'), wa_id: waId, to: z.string().min(1) }),
  /** The operator is typing: the user sees "typing…" (at most once per 25 s, only in the 24 h window). */
  z.object({ ...clientBase, type: z.literal('typing'), wa_id: waId }),
  z.object({
    ...clientBase,
    type: z.literal('add_note'),
    wa_id: waId,
    text: z.string().trim().min(1).max(4000),
  }),
  z.object({
    ...clientBase,
    type: z.literal('list_notes'),
    wa_id: waId,
    limit,
    before: z.string().optional(),
  }),
  z.object({ ...clientBase, type: z.literal('list_canned_replies') }),
  z.object({
    ...clientBase,
    type: z.literal('create_canned_reply'),
    shortcut: cannedShortcut,
    text: cannedText,
  }),
  z.object({
    ...clientBase,
    type: z.literal('update_canned_reply'),
    id: z.string().min(1),
    shortcut: cannedShortcut.optional(),
    text: cannedText.optional(),
  }),
  z.object({ ...clientBase, type: z.literal('delete_canned_reply'), id: z.string().min(1) }),
  /** Conversations by name, phone, username or any message's text; newest activity first. */
  z.object({
    ...clientBase,
    type: z.literal('search'),
    query: z.string().trim().min(1).max(200),
    limit: z.number().int().min(1).max(100).optional(),
    /** `next_cursor` of the previous page. */
    cursor: z.string().optional(),
  }),
  z.object({ ...clientBase, type: z.literal('resolve'), wa_id: waId }),
  z.object({ ...clientBase, type: z.literal('reopen'), wa_id: waId }),
] as const;

const serverBase = { v: z.literal(1), request_id: z.string().optional() };

export const teamServerFrames = [
  z.object({ ...serverBase, type: z.literal('operators'), operators: z.array(teamMember) }),
  /** Pushed: a colleague came online or went offline, or an admin changed their account. */
  z.object({ ...serverBase, type: z.literal('operator_changed'), operator: teamMember }),
  /** The answer to claim/release/hand_over, and pushed to every operator on every instance. */
  z.object({
    ...serverBase,
    type: z.literal('assignment'),
    wa_id: z.string(),
    assignee: z.string().nullable(),
    previous_assignee: z.string().nullable(),
    assigned_at: z.iso.datetime({ offset: true }).nullable(),
    /** The operator who did it; null for the system (auto-assignment, offline grace, a disabled account). */
    by: z.string().nullable(),
    reason: z.enum(assignmentReasons),
  }),
  /** The answer to `typing`: whether the indicator was sent now (else why not). */
  z.object({
    ...serverBase,
    type: z.literal('typing_indicator'),
    wa_id: z.string(),
    result: z.enum(['sent', 'throttled', 'window_closed', 'no_inbound_message', 'failed']),
  }),
  /** Pushed to the other operators: a colleague is typing in this conversation. */
  z.object({ ...serverBase, type: z.literal('operator_typing'), wa_id: z.string(), operator_id: z.string() }),
  /** The answer to `add_note`, and pushed to every operator. */
  z.object({ ...serverBase, type: z.literal('note'), note: operatorNote }),
  z.object({
    ...serverBase,
    type: z.literal('notes'),
    wa_id: z.string(),
    /** Oldest first. */
    notes: z.array(operatorNote),
    next_before: z.string().nullable(),
  }),
  z.object({ ...serverBase, type: z.literal('canned_replies'), canned_replies: z.array(cannedReply) }),
  /** The answer to create/update, and pushed to every operator. */
  z.object({ ...serverBase, type: z.literal('canned_reply'), canned_reply: cannedReply }),
  z.object({ ...serverBase, type: z.literal('canned_reply_deleted'), id: z.string() }),
  z.object({
    ...serverBase,
    type: z.literal('search_results'),
    query: z.string(),
    results: z.array(searchResult),
    next_cursor: z.string().nullable(),
  }),
  /** The answer to resolve/reopen, and pushed; also when the user's new message reopens it (`by` null). */
  z.object({
    ...serverBase,
    type: z.literal('conversation_status'),
    wa_id: z.string(),
    status: z.enum(conversationStatuses),
    at: z.iso.datetime({ offset: true }),
    by: z.string().nullable(),
    /** Unchanged by resolving and reopening: a reopened conversation returns to the same operator. */
    assignee: z.string().nullable(),
  }),
  /** Pushed just before the server closes this socket: signed out, session expired, or account disabled. */
  z.object({
    ...serverBase,
    type: z.literal('signed_out'),
    reason: z.enum(['signed_out', 'expired', 'disabled']),
  }),
] as const;
