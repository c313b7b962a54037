import type { DeliveryStatus, UserIdentity } from '@wa-broker/shared/agent-inbound';
import type { GraphMessage } from '../domain/graph-message.js';
import type {
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
  UnresolvedSend,
  UserState,
} from '../domain/ports.js';
import { claimId, type FinalSendState } from '../domain/send-claim.js';
import type { FakeStore } from './fake-store.js';

export { FakeStore } from './fake-store.js';

/**
 * In-memory ports for handler unit tests: the same contracts as the Redis, Kafka and Graph adapters (the
 * integration tests hold the adapters to them), with every write visible as plain maps. The store: fake-store.ts.
 */

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
