import type { DeliveryStatus, UserIdentity } from '@wa-broker/shared/agent-inbound';
import type { NotificationSendRequest } from '@wa-broker/shared/notifications';
import type { FinalSendState } from './send-claim.js';
import type { Session } from './session.js';

export type * from './send-ports.js';

/**
 * What the handlers need from the outside world, and nothing more: handlers import these, adapters implement
 * them (`adapters/*.redis.ts`, `*.kafka.ts`, `graph-api.client.ts`), `src/testing/fake-ports.ts` fakes them in
 * memory. Types only: a port never does I/O itself. The sender's ports are in send-ports.ts, re-exported here.
 */

/** Reads the clock: handlers never call `new Date()`, so tests decide what "now" is. */
export type Clock = () => Date;

/** One record to produce: topic, key (the user, so per-user order holds) and a JSON value. */
export interface OutRecord {
  topic: string;
  key: string;
  value: unknown;
  /** Transport headers: the trace context of the message it was produced for (issue 21 §2). */
  headers?: Readonly<Record<string, string>>;
}

/** Produces records outside a transaction (notifications, the sweeper's reports); resolves once acked. */
export type Publish = (records: readonly OutRecord[]) => Promise<void>;

/** The inbound group's committed offset of a partition (null when none). */
export type CommittedOffsetLookup = (topic: string, partition: number) => Promise<string | null>;

// --- Conversation state (router-store.redis.ts) -------------------------------------------------------------

export interface UserWindow {
  lastInboundAt: Date;
  user: UserIdentity;
}

export interface UserState {
  session: Session | null;
  window: UserWindow | null;
}

/** Who sent an outbound wamid: where its statuses go. */
export interface SentMessage {
  agentId: string;
  userKey: string;
  idempotencyKey: string;
  /** The number it left from (absent in records of older routers: the default number). */
  phoneNumberId?: string;
  /** The send's W3C `traceparent` (tracing on): its statuses reach the agent in the message's trace. */
  trace?: string;
}

/** An outbound wamid's sender (when known) and the last status forwarded for it. */
export interface KnownStatus {
  sent: SentMessage | null;
  last: DeliveryStatus | null;
}

/** A consumed partition's progress: the last batch's offsets and the records it produced. */
export interface Checkpoint {
  first: string;
  last: string;
  records: OutRecord[];
}

export interface BatchState {
  checkpoint: Checkpoint | null;
  /** Event ids already routed (dedup). */
  seen: Set<string>;
  users: Map<string, UserState>;
  statuses: Map<string, KnownStatus>;
  /** Of `leadIds`, those that lead elsewhere (one hop read; resolveUserKeys follows them to the end). */
  leading: Set<string>;
}

export interface BatchReads {
  eventIds: readonly string[];
  /** Conversation keys (`<phone_number_id>:<user key>`, shared/user-identity.ts). */
  userKeys: readonly string[];
  wamids: readonly string[];
  /** The consumed partition's checkpoint (inbound batches only). */
  checkpointKey?: string;
  /**
   * User ids to check for a lead (a phone linked to a BSUID, a replaced key) in the same round trip: when none
   * leads anywhere, the conversations read under the ids as named are the right ones.
   */
  leadIds?: readonly string[];
}

export interface BatchWrites {
  checkpointKey: string;
  /** Where the checkpoint ended when the batch read it (the compare-and-set). */
  expectedLast: string | null;
  checkpoint: Checkpoint;
  users: ReadonlyMap<string, UserState>;
  /** Identity links learnt (user-identity.ts), written with the state. */
  identities?: IdentityWrites;
  statuses: ReadonlyMap<string, DeliveryStatus>;
  seenIds: readonly string[];
  sent: ReadonlyMap<string, SentMessage>;
  /** Send claim id → the wamid of the first status that named the send. */
  resolvedClaims: ReadonlyMap<string, string>;
}

/**
 * What the router learns about who a user is: the phone → BSUID links of users whose phone Meta shared, keys
 * replaced by an identity change (old key → new key, so an agent answering the old key still reaches the user),
 * and conversations whose state moved to another key (deleted).
 */
export interface IdentityWrites {
  phoneLinks: ReadonlyMap<string, string>;
  movedKeys: ReadonlyMap<string, string>;
  /** The number each user last wrote to: where replies that name none leave from. */
  lastNumbers?: ReadonlyMap<string, string>;
  removedConversations: readonly string[];
}

/** What an inbound batch reads in one round trip and writes in one atomic step, before its transaction. */
export interface BatchStore {
  loadBatch(input: BatchReads): Promise<BatchState>;
  /**
   * The current key of each id that leads elsewhere: a key replaced by an identity change leads to the new one,
   * a phone to the BSUID it was seen with. Ids that are current keys are absent from the map.
   */
  resolveUserKeys(ids: readonly string[]): Promise<Map<string, string>>;
  /** Writes only if the checkpoint still ends at `expectedLast`; otherwise throws (another router wrote). */
  commitBatch(input: BatchWrites): Promise<void>;
}

/** A user an agent addressed, resolved to their current key, and their conversation's state on a number. */
export interface AddressedUser {
  userKey: string;
  phoneNumberId: string;
  conversation: string;
  state: UserState;
}

/** One user's state, for an outbound message; and the wamid → sender mapping of what was sent. */
export interface UserStore {
  /**
   * Resolves `waID` (a key, a phone, or a key replaced by an identity change) to the user's current key and
   * loads their conversation on `phoneNumberId`; without one, on the number they last wrote to, else on
   * `defaultId`.
   */
  loadAddressed(phoneNumberId: string | undefined, waID: string, defaultId: string): Promise<AddressedUser>;
  recordSent(wamid: string, sent: SentMessage): Promise<void>;
}

// --- Send claims (send-claims.redis.ts) ---------------------------------------------------------------------

/** A send whose router died after the Graph call, waiting for a status that names it. */
export interface UnresolvedSend {
  agentId: string;
  idempotencyKey: string;
  waID: string;
  /** `topic:partition:offset` of the `-out` record. */
  source: string;
}

export interface ClaimSwap {
  swapped: boolean;
  /** The raw value stored after the call (null when absent). */
  current: string | null;
  /** The claims' clock (shared by every router), in ms. */
  nowMs: number;
}

/** `out:<agent>:<idempotency key>`: one send per outbound message across every router (domain/send-claim.ts). */
export interface SendClaimStore {
  /** This process, as the owner of its claims. */
  readonly owner: string;
  /** Sets the claim to `state`, owned by this process with a fresh lease, if it still reads `expected`. */
  swap(
    agentId: string,
    idempotencyKey: string,
    expected: string | null,
    state: 'pending' | 'sending',
  ): Promise<ClaimSwap>;
  isOwnerAlive(owner: string): Promise<boolean>;
  /**
   * Settles the claim; `settledFor`: the record it was settled for and what that produced (replayed with it).
   * `users`: session changes written atomically with the settlement (a handover).
   */
  finish(
    agentId: string,
    idempotencyKey: string,
    state: FinalSendState,
    settledFor?: { source: string; records: readonly unknown[] },
    users?: ReadonlyMap<string, UserState>,
  ): Promise<void>;
  /** The wamid of the first status that named this send in its callback data, if any. */
  resolvedWamid(agentId: string, idempotencyKey: string): Promise<string | null>;
  markUnresolved(send: UnresolvedSend, expected: string | null, afterMs: number): Promise<boolean>;
  takeDueUnresolved(limit: number, leaseMs: number): Promise<{ entry: string; send: UnresolvedSend }[]>;
  settleUnresolved(entry: string, send: UnresolvedSend, state: FinalSendState): Promise<void>;
}

// --- Notifications (notification-sends.redis.ts, cancellations.redis.ts) ----------------------------------

/** What the status side needs to turn a wamid's statuses into notification events. */
export type NotificationRef = Pick<
  NotificationSendRequest,
  'notification_id' | 'recipient_id' | 'attempt' | 'to'
>;

/** The notification a wamid was sent for, and the last status published for it. */
export interface KnownNotification {
  ref: NotificationRef | null;
  last: DeliveryStatus | null;
}

export interface NotificationSendStore {
  /** wamid → notification, with `sent` as its last status; written before the `sent` event is published. */
  recordSent(wamid: string, ref: NotificationRef): Promise<void>;
  load(wamids: readonly string[]): Promise<Map<string, KnownNotification>>;
  saveStatuses(statuses: ReadonlyMap<string, DeliveryStatus>): Promise<void>;
}

/** Whether notify cancelled a notification (notify writes the mark, the router reads it before each send). */
export type CancellationLookup = (notificationId: string) => Promise<boolean>;
