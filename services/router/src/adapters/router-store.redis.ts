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

  async loadUser(userKey: string): Promise<UserState> {
    const { users } = await this.loadBatch({ eventIds: [], userKeys: [userKey], wamids: [] });
    return users.get(userKey) ?? { session: null, window: null };
  }

  /**
   * Everything an inbound batch reads, in one round trip: which event ids were seen (dedup), each user's
   * session and window, and each outbound wamid's sender and last forwarded status.
   */
  async loadBatch(input: {
    eventIds: readonly string[];
    userKeys: readonly string[];
    wamids: readonly string[];
  }) {
    const { eventIds, userKeys, wamids } = input;
    const pipeline = this.redis.pipeline();
    for (const id of eventIds) pipeline.exists(this.key('dedup', id));
    if (userKeys.length > 0)
      pipeline.mget(userKeys.flatMap((user) => [this.key('session', user), this.key('window', user)]));
    if (wamids.length > 0)
      pipeline.mget(wamids.flatMap((w) => [this.key('wamid', w), this.key('status', w)]));
    const results = eventIds.length + userKeys.length + wamids.length > 0 ? await exec(pipeline) : [];
    const exists = results.slice(0, eventIds.length);
    const userValues = (userKeys.length > 0 ? results[eventIds.length] : []) as (string | null)[];
    const statusValues = (wamids.length > 0 ? results.at(-1) : []) as (string | null)[];
    return {
      seen: new Set(eventIds.filter((_, i) => exists[i] === 1)),
      users: new Map<string, UserState>(
        userKeys.map((user, i) => [
          user,
          {
            session: parseSession(userValues[i * 2] ?? null),
            window: parseWindow(userValues[i * 2 + 1] ?? null),
          },
        ]),
      ),
      statuses: new Map(
        wamids.map((wamid, i) => [
          wamid,
          {
            sent: parseJson<SentMessage>(statusValues[i * 2] ?? null),
            last: (statusValues[i * 2 + 1] as DeliveryStatus | null) ?? null,
          },
        ]),
      ),
    };
  }

  /**
   * Everything an inbound batch writes, in one round trip (after its records are published): sessions and
   * windows (the session TTL restarts), forwarded statuses, and dedup marks (SET NX, TTL above Meta's 7 days).
   */
  async saveBatch(input: {
    users?: ReadonlyMap<string, UserState>;
    statuses?: ReadonlyMap<string, DeliveryStatus>;
    seenIds?: readonly string[];
  }): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const [user, state] of input.users ?? []) {
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
    for (const [wamid, status] of input.statuses ?? [])
      pipeline.set(this.key('status', wamid), status, 'EX', this.ttls.wamidSeconds);
    for (const id of input.seenIds ?? [])
      pipeline.set(this.key('dedup', id), '1', 'EX', this.ttls.dedupSeconds, 'NX');
    if (pipeline.length > 0) await exec(pipeline);
  }

  async recordSent(wamid: string, sent: SentMessage): Promise<void> {
    await this.redis.set(this.key('wamid', wamid), JSON.stringify(sent), 'EX', this.ttls.wamidSeconds);
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
