import type { DeliveryStatus, UserIdentity } from '@wa-broker/shared/agent-inbound';
import { conversationKey, isBusinessScopedUserId } from '@wa-broker/shared/user-identity';
import type { GraphMessage } from '../domain/graph-message.js';
import type {
  AddressedUser,
  BatchReads,
  BatchState,
  BatchStore,
  BatchWrites,
  Checkpoint,
  ClaimSwap,
  GraphApi,
  KnownNotification,
  MessagingLimit,
  NotificationRef,
  NotificationSendStore,
  NumberDirectory,
  OutRecord,
  RateLimiter,
  SendClaimStore,
  SendingNumber,
  SendLimits,
  SendPermit,
  SendResult,
  SentMessage,
  UnresolvedSend,
  UserState,
  UserStore,
} from '../domain/ports.js';
import { claimId, type FinalSendState } from '../domain/send-claim.js';

/**
 * In-memory ports for handler unit tests: the same contracts as the Redis, Kafka and Graph adapters (the
 * integration tests hold the adapters to them), with every write visible as plain maps.
 */
export class FakeStore implements BatchStore, UserStore {
  readonly users = new Map<string, UserState>();
  readonly seen = new Set<string>();
  readonly statuses = new Map<string, DeliveryStatus>();
  readonly sent = new Map<string, SentMessage>();
  /** `resolved:<claim id>` → wamid; shared with FakeClaims, as in Redis. */
  readonly resolved = new Map<string, string>();
  readonly checkpoints = new Map<string, Checkpoint>();
  commits = 0;

  /** `user:phone:<wa_id>` → BSUID and `user:moved:<old key>` → new key, as in Redis. */
  readonly phoneLinks = new Map<string, string>();
  readonly movedKeys = new Map<string, string>();

  /** `user:number:<user>` → the number they last wrote to. */
  readonly lastNumbers = new Map<string, string>();

  async loadAddressed(named: string | undefined, waID: string, defaultId: string): Promise<AddressedUser> {
    const userKey = (await this.resolveUserKeys([waID])).get(waID) ?? waID;
    const phoneNumberId = named ?? this.lastNumbers.get(userKey) ?? defaultId;
    const conversation = conversationKey(phoneNumberId, userKey);
    return { userKey, phoneNumberId, conversation, state: this.users.get(conversation) ?? empty() };
  }

  private lead(id: string): string | undefined {
    return isBusinessScopedUserId(id) ? this.movedKeys.get(id) : this.phoneLinks.get(id);
  }

  async resolveUserKeys(ids: readonly string[]): Promise<Map<string, string>> {
    const resolved = new Map<string, string>();
    for (const id of ids) {
      let current = id;
      for (let hop = 0; hop < 4; hop += 1) current = this.lead(current) ?? current;
      if (current !== id) resolved.set(id, current);
    }
    return resolved;
  }

  async recordSent(wamid: string, sent: SentMessage): Promise<void> {
    this.sent.set(wamid, sent);
  }

  async loadBatch(input: BatchReads): Promise<BatchState> {
    return {
      checkpoint: input.checkpointKey
        ? structuredClone(this.checkpoints.get(input.checkpointKey) ?? null)
        : null,
      seen: new Set(input.eventIds.filter((id) => this.seen.has(id))),
      users: new Map(input.userKeys.map((u) => [u, structuredClone(this.users.get(u)) ?? empty()])),
      statuses: new Map(
        input.wamids.map((w) => [w, { sent: this.sent.get(w) ?? null, last: this.statuses.get(w) ?? null }]),
      ),
      leading: new Set(
        (input.leadIds ?? []).filter((id) => {
          const lead = this.lead(id);
          return lead !== undefined && lead !== id;
        }),
      ),
    };
  }

  async commitBatch(input: BatchWrites): Promise<void> {
    // The compare-and-set of router-store.redis.ts: another router wrote the partition meanwhile.
    if ((this.checkpoints.get(input.checkpointKey)?.last ?? null) !== input.expectedLast)
      throw new Error(`${input.checkpointKey} moved`);
    this.checkpoints.set(input.checkpointKey, structuredClone(input.checkpoint));
    for (const conversation of input.identities?.removedConversations ?? []) this.users.delete(conversation);
    for (const [waId, userId] of input.identities?.phoneLinks ?? []) this.phoneLinks.set(waId, userId);
    for (const [previous, next] of input.identities?.movedKeys ?? []) this.movedKeys.set(previous, next);
    for (const [user, number] of input.identities?.lastNumbers ?? []) this.lastNumbers.set(user, number);
    this.writeUsers(input.users);
    for (const [wamid, status] of input.statuses) this.statuses.set(wamid, status);
    for (const [wamid, sent] of input.sent) this.sent.set(wamid, sent);
    for (const [id, wamid] of input.resolvedClaims) this.resolved.set(id, wamid);
    for (const id of input.seenIds) this.seen.add(id);
    this.commits += 1;
  }

  writeUsers(users: ReadonlyMap<string, UserState>): void {
    for (const [user, state] of users) {
      const window = state.window ?? this.users.get(user)?.window ?? null;
      this.users.set(user, { session: state.session, window });
    }
  }
}

const empty = (): UserState => ({ session: null, window: null });

/** Send claims with the compare-and-set and lease semantics of send-claims.redis.ts, on a clock of its own. */
export class FakeClaims implements SendClaimStore {
  readonly values = new Map<string, string>();
  /** Owners whose presence key is alive; this process always is. */
  readonly alive = new Set<string>();
  /** Unresolved entry → due time (ms). */
  readonly unresolved = new Map<string, number>();
  nowMs = 1_000_000;

  constructor(
    private readonly store: FakeStore,
    readonly owner = 'router-test',
    private readonly leaseMs = 60_000,
  ) {
    this.alive.add(owner);
  }

  async swap(agentId: string, key: string, expected: string | null, state: 'pending' | 'sending') {
    const id = claimId(agentId, key);
    const current = this.values.get(id) ?? null;
    if (current !== expected) return { swapped: false, current, nowMs: this.nowMs } satisfies ClaimSwap;
    const value = JSON.stringify({ state, owner: this.owner, lease_until: this.nowMs + this.leaseMs });
    this.values.set(id, value);
    return { swapped: true, current: value, nowMs: this.nowMs };
  }

  async isOwnerAlive(owner: string): Promise<boolean> {
    return this.alive.has(owner);
  }

  async finish(
    agentId: string,
    key: string,
    state: FinalSendState,
    settledFor?: { source: string; records: readonly unknown[] },
    users?: ReadonlyMap<string, UserState>,
  ): Promise<void> {
    if (users) this.store.writeUsers(users);
    const value =
      settledFor && settledFor.records.length > 0 ? JSON.stringify({ state, ...settledFor }) : state;
    this.values.set(claimId(agentId, key), value);
  }

  async resolvedWamid(agentId: string, key: string): Promise<string | null> {
    return this.store.resolved.get(claimId(agentId, key)) ?? null;
  }

  async markUnresolved(send: UnresolvedSend, expected: string | null, afterMs: number): Promise<boolean> {
    const id = claimId(send.agentId, send.idempotencyKey);
    if ((this.values.get(id) ?? null) !== expected) return false;
    this.values.set(id, '{"state":"unresolved"}');
    this.unresolved.set(JSON.stringify(send), this.nowMs + afterMs);
    return true;
  }

  async takeDueUnresolved(limit: number, leaseMs: number) {
    const due = [...this.unresolved].filter(([, at]) => at <= this.nowMs).slice(0, limit);
    for (const [entry] of due) this.unresolved.set(entry, this.nowMs + leaseMs);
    return due.map(([entry]) => ({ entry, send: JSON.parse(entry) as UnresolvedSend }));
  }

  async settleUnresolved(entry: string, send: UnresolvedSend, state: FinalSendState): Promise<void> {
    this.values.set(claimId(send.agentId, send.idempotencyKey), state);
    this.unresolved.delete(entry);
  }

  /** The claim's state as stored (`sent`, `pending`…), for assertions. */
  stateOf(agentId: string, key: string): string | undefined {
    const raw = this.values.get(claimId(agentId, key));
    if (raw === undefined || !raw.startsWith('{')) return raw;
    return (JSON.parse(raw) as { state: string }).state;
  }
}

export interface GraphCall {
  /** The number it left from. */
  from: string;
  to: UserIdentity;
  body: GraphMessage;
  callbackData: string | undefined;
}

/** Answers each send with the next scripted result, then with a fresh wamid. */
export class FakeGraph implements GraphApi {
  readonly calls: GraphCall[] = [];
  readonly script: SendResult[] = [];

  async send(
    from: SendingNumber,
    to: UserIdentity,
    body: GraphMessage,
    callbackData?: string,
  ): Promise<SendResult> {
    this.calls.push({ from: from.phoneNumberId, to, body, callbackData });
    return this.script.shift() ?? { ok: true, wamid: `wamid.out.${this.calls.length}` };
  }
}

/** Business numbers: `phone-1` (the default) sends; others once `add`ed, offering the agents they name. */
export class FakeNumbers implements NumberDirectory {
  readonly defaultId = 'phone-1';
  readonly numbers = new Map<string, { perSecond: number; agentIds: string[] | null }>([
    ['phone-1', { perSecond: 80, agentIds: null }],
  ]);

  add(phoneNumberId: string, agentIds: string[] | null = null, perSecond = 80): void {
    this.numbers.set(phoneNumberId, { perSecond, agentIds });
  }

  sending(phoneNumberId: string): SendingNumber | null {
    const number = this.numbers.get(phoneNumberId);
    return number ? { phoneNumberId, token: `token-${phoneNumberId}`, perSecond: number.perSecond } : null;
  }

  offers(phoneNumberId: string, agentId: string): boolean {
    const agentIds = this.numbers.get(phoneNumberId)?.agentIds;
    return !agentIds || agentIds.includes(agentId);
  }
}

/** The portfolio's messaging limit in memory: users admitted, up to `limit` (0: no limit). */
export class FakeMessagingLimit implements MessagingLimit {
  readonly admitted = new Set<string>();
  limit = 0;

  async admit(userKey: string): Promise<boolean> {
    if (this.limit > 0 && !this.admitted.has(userKey) && this.admitted.size >= this.limit) return false;
    this.admitted.add(userKey);
    return true;
  }
}

/** Never waits; remembers which buckets each send asked for. */
export class FakeLimiter implements RateLimiter {
  readonly acquired: SendLimits[] = [];

  readonly answered: SendLimits[] = [];

  /** When each send said its answer arrived (undefined: no answer came, held from the call to answered). */
  readonly answeredAt: (number | undefined)[] = [];

  async acquire(limits: SendLimits): Promise<SendPermit> {
    this.acquired.push(limits);
    return {
      waitedMs: 0,
      ready: async () => undefined,
      answered: async (answeredAt) => {
        this.answered.push(limits);
        this.answeredAt.push(answeredAt);
      },
    };
  }
}

/** What was published outside transactions, in order. */
/** Records as published; those for the cost report (`costsTopic`) apart, so other tests need not list them. */
export function fakePublisher(costsTopic = 'message-costs') {
  const published: OutRecord[] = [];
  const costs: OutRecord[] = [];
  const publish = async (records: readonly OutRecord[]) => {
    for (const record of records) (record.topic === costsTopic ? costs : published).push(record);
  };
  return { published, costs, publish };
}

export class FakeNotificationSends implements NotificationSendStore {
  readonly refs = new Map<string, NotificationRef>();
  readonly statuses = new Map<string, DeliveryStatus>();

  async recordSent(wamid: string, ref: NotificationRef): Promise<void> {
    this.refs.set(wamid, ref);
    this.statuses.set(wamid, 'sent');
  }

  async load(wamids: readonly string[]): Promise<Map<string, KnownNotification>> {
    return new Map(
      wamids.map((w) => [w, { ref: this.refs.get(w) ?? null, last: this.statuses.get(w) ?? null }]),
    );
  }

  async saveStatuses(statuses: ReadonlyMap<string, DeliveryStatus>): Promise<void> {
    for (const [wamid, status] of statuses) this.statuses.set(wamid, status);
  }
}
