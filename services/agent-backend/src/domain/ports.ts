import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import type { MessageTemplateRecord } from '@wa-broker/shared/message-templates';
import type { OperatorRole } from '@wa-broker/shared/operator-accounts';
import type {
  CannedReply,
  ConversationStatus,
  OperatorConversation,
  OperatorMessage,
  OperatorMessageStatus,
  OperatorNote,
  SearchResult,
} from '@wa-broker/shared/operator-protocol';
import type { ConversationTouch, MediaStoredChange, StatusChange } from './events.js';
import type { TeamEvent } from './team-events.js';

export interface Page {
  limit: number;
  /** Opaque cursor from the previous page's `nextBefore`. */
  before?: string;
}

export interface MessageStore {
  /** Stores the message unless one with its id or wamid exists; true when it was new. */
  insert(message: OperatorMessage): Promise<boolean>;
  /** Applies the change only to a reply whose status is one of `from`; true when a reply changed. */
  applyStatus(change: StatusChange, from: readonly OperatorMessageStatus[]): Promise<boolean>;
  get(id: string): Promise<OperatorMessage | null>;
  latest(waId: string): Promise<OperatorMessage | null>;
  /** The user's newest inbound message that has a wamid (what a read receipt names). */
  latestInbound(waId: string): Promise<OperatorMessage | null>;
  /** Marks the message's read receipt as sent unless it already was; true when this call claimed it. */
  claimReadReceipt(id: string, at: Date): Promise<boolean>;
  /** Undoes a claim whose receipt could not be published, so the next mark_read tries again. */
  releaseReadReceipt(id: string): Promise<void>;
  countUnseen(waId: string): Promise<number>;
  markSeen(waId: string): Promise<void>;
  /** Every message of `from` now belongs to `to`. */
  moveAll(from: string, to: string): Promise<void>;
  /** The inbound message's file is stored: its size (and MIME) join its media; true when a message changed. */
  setMediaStored(change: MediaStoredChange): Promise<boolean>;
  /** Newest page first in the query, returned oldest first. */
  history(waId: string, page: Page): Promise<{ messages: OperatorMessage[]; nextBefore: string | null }>;
}

/** `assignee: null` is the queue. */
export interface ConversationFilter {
  assignee?: string | null;
  status?: ConversationStatus;
}

export interface ConversationStore {
  /** Creates the conversation if needed; times and the window only move forward. */
  touch(touch: ConversationTouch): Promise<void>;
  /**
   * Merges the conversation `from` into `to` (latest times, known names), removes `from` and remembers that it
   * leads to `to`.
   */
  move(from: string, to: string): Promise<void>;
  /** The key a conversation has now: `waId` itself unless it moved (followed to its last move). */
  currentKey(waId: string): Promise<string>;
  /**
   * The conversation an operator or a script names: by its key (moved ones followed), else by the user's phone
   * (conversations are keyed by the BSUID once Meta sends one); `id` itself when none matches.
   */
  findKey(id: string): Promise<string>;
  /** Sets the summary as recomputed from the messages (the latest, the unseen count). */
  summarize(waId: string, lastMessage: OperatorMessage | null, unreadCount: number): Promise<void>;
  /**
   * A message just stored: it becomes the summary's last message if no later one (by time, then id) is there
   * already, and the unseen count grows by `unseen`. Key lookups only: no query over the messages.
   */
  advanceSummary(waId: string, message: OperatorMessage, unseen: 0 | 1): Promise<void>;
  /**
   * A reply's status moved forward: the summary's last message takes it when it is that reply (`message_id`)
   * and its status is one of `from` (forward only, as on the message itself).
   */
  summaryStatus(waId: string, change: StatusChange, from: readonly OperatorMessageStatus[]): Promise<void>;
  get(waId: string): Promise<OperatorConversation | null>;
  list(
    page: Page,
    filter?: ConversationFilter,
  ): Promise<{ conversations: OperatorConversation[]; nextBefore: string | null }>;
}

export interface OutboundPort {
  /** Resolves once Kafka has the message. */
  publish(message: AgentOutboundMessage): Promise<void>;
  /** A `mark_as_read` for one inbound wamid, its idempotency key derived from the wamid; resolves once Kafka has it. */
  markAsRead(waId: string, wamid: string): Promise<void>;
  /** "typing…" for the user (a `mark_as_read` of `wamid` with `typing_indicator`); resolves once Kafka has it. */
  typing(waId: string, wamid: string, at: Date): Promise<void>;
}

/** Ids of the replies this instance already pushed to its operators (bounded, in memory). */
export interface PushedReplies {
  has(id: string): boolean | Promise<boolean>;
  add(id: string): void | Promise<void>;
}

/**
 * The message templates of every WABA and the WABA of every business number, as the admin announces them
 * (`template-changes`, `number-changes`); kept in memory, complete once both topics were read at start.
 */
export interface TemplateCatalog {
  /** The WABA a business number belongs to; undefined while the admin has not announced the number. */
  wabaOf(phoneNumberId: string): string | undefined;
  /** Every template of the WABA, in every language and status. */
  templatesOf(wabaId: string): MessageTemplateRecord[];
}

/** Who made a request: a signed-in operator (or, with the development token, the first admin). */
export interface Actor {
  id: string;
  name: string;
  email: string;
  role: OperatorRole;
  /** The session this request came with; absent for the development token. */
  sessionId?: string;
}

/** A password as stored: scrypt's output with its salt and cost parameters (raised later, old hashes still verify). */
export interface PasswordHash {
  algorithm: 'scrypt';
  salt: string;
  hash: string;
  N: number;
  r: number;
  p: number;
  keylen: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<PasswordHash>;
  /** Constant-time; false for a password that does not match. */
  verify(password: string, stored: PasswordHash): Promise<boolean>;
  /** Takes as long as a verify, for an unknown email: sign-in time does not tell which emails exist. */
  burn(password: string): Promise<void>;
}

export interface OperatorRecord {
  id: string;
  name: string;
  email: string;
  role: OperatorRole;
  disabled: boolean;
  password: PasswordHash;
  createdAt: Date;
  lastSeenAt: Date | null;
}

export interface OperatorStore {
  /** Throws DomainError `email_taken` when the email exists in any case. */
  create(operator: OperatorRecord): Promise<void>;
  get(id: string): Promise<OperatorRecord | null>;
  findByEmail(email: string): Promise<OperatorRecord | null>;
  list(): Promise<OperatorRecord[]>;
  /** Throws `email_taken`; null when there is no such operator. */
  update(
    id: string,
    patch: Partial<Omit<OperatorRecord, 'id' | 'createdAt'>>,
  ): Promise<OperatorRecord | null>;
  countEnabledAdmins(): Promise<number>;
  /** The oldest enabled admin: who the development token acts as. */
  firstAdmin(): Promise<OperatorRecord | null>;
  markSeen(ids: readonly string[], at: Date): Promise<void>;
}

export interface SessionRecord {
  /** The SHA-256 of the cookie's token: a leaked database holds no usable session. */
  id: string;
  operatorId: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  /** The session unless it expired or was revoked. */
  get(id: string, now: Date): Promise<SessionRecord | null>;
  revoke(id: string): Promise<void>;
  revokeAllOf(operatorId: string): Promise<void>;
}

/** Who answers which conversation, and whether it is resolved (fields of the conversation documents). */
export interface AssignmentStore {
  /** Sets the assignee to `to` only while it is `from` (a conditional update): true when this call changed it. */
  reassign(waId: string, from: string | null, to: string | null, at: Date): Promise<boolean>;
  /** Open conversations per operator (their load against the auto-assignment capacity). */
  openLoad(operatorIds: readonly string[]): Promise<Map<string, number>>;
  assignedTo(operatorId: string): Promise<string[]>;
  /** Every operator who has a conversation assigned. */
  assignees(): Promise<string[]>;
  /** Open, unassigned conversations, the longest waiting first. */
  queue(limit: number): Promise<string[]>;
  /** Sets the status unless it already is that; true when this call changed it. */
  setStatus(waId: string, status: ConversationStatus, at: Date): Promise<boolean>;
  /** The last operator auto-assignment gave a conversation (round robin), kept for every instance. */
  lastAutoAssigned(): Promise<string | null>;
  rememberAutoAssigned(operatorId: string): Promise<void>;
}

/** Which operators have a socket open, per instance (online while any instance has one that is fresh). */
export interface PresenceStore {
  /** This instance's socket count for the operator, seen now; 0 removes it. */
  set(operatorId: string, instanceId: string, sockets: number, at: Date): Promise<void>;
  online(now: Date): Promise<Set<string>>;
  /** Forgets entries not refreshed since `staleBefore` (an instance that died); the operators concerned. */
  removeStale(staleBefore: Date): Promise<string[]>;
  /** Forgets this instance's entries (it stops, or starts again without sockets); the operators concerned. */
  clearInstance(instanceId: string): Promise<string[]>;
}

/** Team events to the other instances (the operator-events topic). */
export interface TeamBus {
  publish(event: TeamEvent): Promise<void>;
}

/** One typing indicator per conversation per interval, across operators and instances. */
export interface TypingThrottle {
  /** Takes the slot unless one was taken less than `everyMs` ago; true when this call took it. */
  claim(waId: string, at: Date, everyMs: number): Promise<boolean>;
  /** Gives back a slot whose indicator could not be published. */
  release(waId: string, at: Date): Promise<void>;
}

export interface NoteStore {
  add(note: OperatorNote): Promise<void>;
  /** Newest page first in the query, returned oldest first. */
  list(waId: string, page: Page): Promise<{ notes: OperatorNote[]; nextBefore: string | null }>;
  /** Every note of `from` now belongs to `to` (the user's key changed). */
  moveAll(from: string, to: string): Promise<void>;
}

export interface CannedReplyStore {
  list(): Promise<CannedReply[]>;
  /** Throws DomainError `conflict` when the shortcut exists. */
  create(reply: CannedReply): Promise<void>;
  /** Null when there is no such reply; throws `conflict` for a shortcut another reply has. */
  update(
    id: string,
    patch: { shortcut?: string; text?: string },
    by: string,
    at: Date,
  ): Promise<CannedReply | null>;
  remove(id: string): Promise<boolean>;
}

export interface SearchPort {
  /** Conversations whose name, phone, username or any message matches; newest activity first. */
  search(
    query: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ results: SearchResult[]; nextCursor: string | null }>;
}
