import type { DeliveryStatus, UserIdentity } from '@wa-broker/shared/agent-inbound';
import type { Redis } from 'ioredis';
import type { InboundMessage } from '../domain/inbound-message.js';
import type { Session } from '../domain/session.js';

export interface UserWindow {
  lastInboundAt: Date;
  user: UserIdentity;
}

export interface UserState {
  session: Session | null;
  window: UserWindow | null;
}

export interface SentMessage {
  agentId: string;
  userKey: string;
  idempotencyKey: string;
}

export interface StoreTtls {
  sessionSeconds: number;
  dedupSeconds: number;
  wamidSeconds: number;
}

/**
 * Everything the router keeps, under one key prefix (tests use a unique one):
 * session:<user>, window:<user>, dedup:<event id>, wamid:<wamid>, status:<wamid> (send claims: send-claims.redis.ts).
 */
export class RouterStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttls: StoreTtls,
  ) {}

  key(...parts: string[]): string {
    return `${this.prefix}${parts.join(':')}`;
  }

  async loadUsers(userKeys: readonly string[]): Promise<Map<string, UserState>> {
    if (userKeys.length === 0) return new Map();
    const keys = userKeys.flatMap((user) => [this.key('session', user), this.key('window', user)]);
    const values = await this.redis.mget(keys);
    return new Map(
      userKeys.map((user, i) => [
        user,
        { session: parseSession(values[i * 2] ?? null), window: parseWindow(values[i * 2 + 1] ?? null) },
      ]),
    );
  }

  async loadUser(userKey: string): Promise<UserState> {
    return (await this.loadUsers([userKey])).get(userKey) ?? { session: null, window: null };
  }

  /** Writes sessions and windows; the session TTL restarts (the Go original's 24 h, configurable). */
  async saveUsers(states: ReadonlyMap<string, UserState>): Promise<void> {
    if (states.size === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [user, state] of states) {
      if (state.session)
        pipeline.set(
          this.key('session', user),
          JSON.stringify(state.session),
          'EX',
          this.ttls.sessionSeconds,
        );
      else pipeline.del(this.key('session', user));
      if (state.window) {
        const value = { last_inbound_at: state.window.lastInboundAt.toISOString(), user: state.window.user };
        pipeline.set(this.key('window', user), JSON.stringify(value), 'EX', this.ttls.sessionSeconds * 2);
      }
    }
    await exec(pipeline);
  }

  async seen(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.exists(this.key('dedup', id));
    const results = await exec(pipeline);
    return new Set(ids.filter((_, i) => results[i] === 1));
  }

  /** SET NX with a TTL above Meta's 7 days of redelivery. */
  async markSeen(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.set(this.key('dedup', id), '1', 'EX', this.ttls.dedupSeconds, 'NX');
    await exec(pipeline);
  }

  async recordSent(wamid: string, sent: SentMessage): Promise<void> {
    await this.redis.set(this.key('wamid', wamid), JSON.stringify(sent), 'EX', this.ttls.wamidSeconds);
  }

  async loadStatuses(
    wamids: readonly string[],
  ): Promise<Map<string, { sent: SentMessage | null; last: DeliveryStatus | null }>> {
    if (wamids.length === 0) return new Map();
    const values = await this.redis.mget(
      wamids.flatMap((w) => [this.key('wamid', w), this.key('status', w)]),
    );
    return new Map(
      wamids.map((wamid, i) => [
        wamid,
        {
          sent: parseJson<SentMessage>(values[i * 2] ?? null),
          last: (values[i * 2 + 1] as DeliveryStatus | null) ?? null,
        },
      ]),
    );
  }

  async saveStatuses(statuses: ReadonlyMap<string, DeliveryStatus>): Promise<void> {
    if (statuses.size === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [wamid, status] of statuses)
      pipeline.set(this.key('status', wamid), status, 'EX', this.ttls.wamidSeconds);
    await exec(pipeline);
  }
}

async function exec(pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
  return results.map(([, value]) => value);
}

function parseJson<T>(value: string | null): T | null {
  return value ? (JSON.parse(value) as T) : null;
}

function parseSession(value: string | null): Session | null {
  const session = parseJson<Session>(value);
  if (session?.state === 'menu' && session.pending) {
    const pending = session.pending as InboundMessage & { sentAt: string | Date };
    session.pending = { ...pending, sentAt: new Date(pending.sentAt) };
  }
  return session;
}

function parseWindow(value: string | null): UserWindow | null {
  const stored = parseJson<{ last_inbound_at: string; user: UserIdentity }>(value);
  return stored ? { lastInboundAt: new Date(stored.last_inbound_at), user: stored.user } : null;
}
