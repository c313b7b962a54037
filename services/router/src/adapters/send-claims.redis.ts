import type { Redis } from 'ioredis';
import type { FinalSendState } from '../domain/send-claim.js';

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

export interface ClaimSwap {
  swapped: boolean;
  /** The raw value stored after the call (null when absent). */
  current: string | null;
  nowMs: number;
}

/** `out:<agent>:<idempotency key>`: one send per outbound message across every router instance. */
export class SendClaims {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly settings: { owner: string; leaseMs: number; ttlSeconds: number },
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

  async finish(agentId: string, idempotencyKey: string, state: FinalSendState): Promise<void> {
    await this.redis.set(this.key(agentId, idempotencyKey), state, 'EX', this.settings.ttlSeconds);
  }

  private key(agentId: string, idempotencyKey: string): string {
    return `${this.prefix}out:${agentId}:${idempotencyKey}`;
  }
}

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
