import type { ChainableCommander, Redis } from 'ioredis';
import type { ClaimSwap, SendClaimStore, UnresolvedSend, UserState } from '../domain/ports.js';
import { claimId, type FinalSendState } from '../domain/send-claim.js';

export type { ClaimSwap, UnresolvedSend } from '../domain/ports.js';

/**
 * Compare-and-set of a claim on Redis' clock (instances with skewed clocks still agree on leases): writes
 * `{state, owner, lease_until}` only if the key still holds `expected` ('' = absent). Returns
 * {1 if written, the value now stored, Redis' time in ms}.
 */
const swapClaimScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return {0, current, now} end
local value = '{"state":"' .. ARGV[2] .. '","owner":"' .. ARGV[3] .. '","lease_until":' ..
  string.format('%d', now + tonumber(ARGV[4])) .. '}'
redis.call('SET', KEYS[1], value, 'EX', ARGV[5])
return {1, value, now}
`;

/** Abandoned → unresolved, only if the claim still reads `expected`; the sweeper's entry is due at `now + ARGV[3]`. */
const markUnresolvedScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], '{"state":"unresolved"}', 'EX', ARGV[2])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[4])
return 1
`;

/** Takes up to ARGV[2] due entries, pushing each one's due time ARGV[1] ms ahead: a lease for this sweeper. */
const takeDueScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), member) end
return due
`;

export interface SendClaimSettings {
  owner: string;
  leaseMs: number;
  ttlSeconds: number;
  /** Writes the session changes a handover settles with (router-store.redis.ts); only the outbound side has them. */
  userStates?: { queueUserStates(multi: ChainableCommander, users: ReadonlyMap<string, UserState>): void };
}

/** `out:<agent>:<idempotency key>`: one send per outbound message across every router instance. */
export class SendClaims implements SendClaimStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly settings: SendClaimSettings,
  ) {}

  get owner(): string {
    return this.settings.owner;
  }

  /** Sets the claim to `state`, owned by this process with a fresh lease, if it still reads `expected`. */
  async swap(
    agentId: string,
    idempotencyKey: string,
    expected: string | null,
    state: 'pending' | 'sending',
  ): Promise<ClaimSwap> {
    const [swapped, current, nowMs] = (await this.redis.eval(
      swapClaimScript,
      1,
      this.key(agentId, idempotencyKey),
      expected ?? '',
      state,
      this.settings.owner,
      String(this.settings.leaseMs),
      String(this.settings.ttlSeconds),
    )) as [number, string, number];
    return { swapped: swapped === 1, current: current === '' ? null : current, nowMs: Number(nowMs) };
  }

  /** Whether the router that owns a claim still refreshes its presence key (see createPresence). */
  async isOwnerAlive(owner: string): Promise<boolean> {
    return (await this.redis.exists(presenceKey(this.prefix, owner))) === 1;
  }

  /**
   * Settles the claim. `settledFor`: the `-out` record it was settled for and the records that produced, published
   * again if that record is replayed (its transaction did not commit); a bare state when there are none.
   */
  async finish(
    agentId: string,
    idempotencyKey: string,
    state: FinalSendState,
    settledFor?: { source: string; records: readonly unknown[] },
    /** Session changes that must happen with the settlement, atomically (a handover). */
    users?: ReadonlyMap<string, UserState>,
  ): Promise<void> {
    const value =
      settledFor && settledFor.records.length > 0 ? JSON.stringify({ state, ...settledFor }) : state;
    if (users?.size && !this.settings.userStates)
      throw new Error('send claims without a user-state store cannot settle a handover');
    const multi = this.redis.multi();
    if (users?.size) this.settings.userStates?.queueUserStates(multi, users);
    const results = await multi
      .set(this.key(agentId, idempotencyKey), value, 'EX', this.settings.ttlSeconds)
      .exec();
    const failed = results?.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
  }

  /** The wamid of the first status that named this send in its callback data (inbound-batch.ts), if any. */
  async resolvedWamid(agentId: string, idempotencyKey: string): Promise<string | null> {
    return this.redis.get(resolvedKey(this.prefix, claimId(agentId, idempotencyKey)));
  }

  /** An abandoned `sending` claim waits for a status naming it, until `afterMs` from now (Redis' clock). */
  async markUnresolved(send: UnresolvedSend, expected: string | null, afterMs: number): Promise<boolean> {
    const written = await this.redis.eval(
      markUnresolvedScript,
      2,
      this.key(send.agentId, send.idempotencyKey),
      this.unresolvedKey,
      expected ?? '',
      String(this.settings.ttlSeconds),
      String(afterMs),
      JSON.stringify(send),
    );
    return written === 1;
  }

  /** Unresolved sends past their wait, each leased to this caller for `leaseMs`. */
  async takeDueUnresolved(
    limit: number,
    leaseMs: number,
  ): Promise<{ entry: string; send: UnresolvedSend }[]> {
    const due = (await this.redis.eval(
      takeDueScript,
      1,
      this.unresolvedKey,
      String(leaseMs),
      String(limit),
    )) as string[];
    return due.map((entry) => ({ entry, send: JSON.parse(entry) as UnresolvedSend }));
  }

  async settleUnresolved(entry: string, send: UnresolvedSend, state: FinalSendState): Promise<void> {
    await this.redis
      .multi()
      .set(this.key(send.agentId, send.idempotencyKey), state, 'EX', this.settings.ttlSeconds)
      .zrem(this.unresolvedKey, entry)
      .exec();
  }

  private get unresolvedKey(): string {
    return `${this.prefix}out:unresolved`;
  }

  private key(agentId: string, idempotencyKey: string): string {
    return `${this.prefix}out:${claimId(agentId, idempotencyKey)}`;
  }
}

/** `resolved:<claim id>` → wamid: written by the inbound batch that saw a status naming the send. */
export const resolvedKey = (prefix: string, id: string) => `${prefix}resolved:${id}`;

const presenceKey = (prefix: string, owner: string) => `${prefix}router:alive:${owner}`;

/**
 * `router:alive:<owner>`, refreshed every `refreshMs` with a TTL of `ttlMs`: other routers take a claim of a
 * router whose key has expired as abandoned. Deleted on a clean stop.
 */
export function createPresence(
  redis: Redis,
  prefix: string,
  settings: { owner: string; refreshMs: number; ttlMs: number; onError: (error: unknown) => void },
) {
  const key = presenceKey(prefix, settings.owner);
  const refresh = () => redis.set(key, '1', 'PX', settings.ttlMs);
  let timer: NodeJS.Timeout | undefined;
  return {
    async start(): Promise<void> {
      await refresh();
      timer = setInterval(() => void refresh().catch(settings.onError), settings.refreshMs);
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      await redis.del(key);
    },
  };
}
