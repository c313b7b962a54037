import type { DeliveryStatus, UserIdentity } from '@wa-broker/shared/agent-inbound';
import { DomainError } from '@wa-broker/shared/errors';
import { conversationKey, isBusinessScopedUserId } from '@wa-broker/shared/user-identity';
import type { ChainableCommander, Redis } from 'ioredis';
import type { InboundMessage } from '../domain/inbound-message.js';
import type {
  AddressedUser,
  BatchReads,
  BatchState,
  BatchStore,
  BatchWrites,
  Checkpoint,
  IdentityWrites,
  OutRecord,
  SentMessage,
  UserState,
  UserStore,
  UserWindow,
} from '../domain/ports.js';
import type { Session } from '../domain/session.js';
import { resolvedKey } from './send-claims.redis.js';

export type { Checkpoint, SentMessage, UserState, UserWindow } from '../domain/ports.js';

export interface StoreTtls {
  sessionSeconds: number;
  dedupSeconds: number;
  wamidSeconds: number;
}

/**
 * Meta shares a phone for 30 days after contact; a link or a replaced key is kept well past that, and past the
 * session and window (2 × session TTL), so nothing that can still be answered loses its way.
 */
const identitySeconds = 90 * 24 * 3600;
const maxIdentityHops = 4;

/**
 * Everything the router keeps, under one key prefix (tests use a unique one):
 * session:<number>:<user>, window:<number>:<user> (conversation keys, shared/user-identity.ts),
 * user:phone:<wa_id> (→ BSUID), user:moved:<old key> (→ new key), user:number:<user> (the number they last
 * wrote to), dedup:<event id>, wamid:<wamid>,
 * status:<wamid>, resolved:<claim id>, checkpoint:<group>:<topic>:<partition> (send claims: send-claims.redis.ts).
 * Keys of releases before conversation keys (session:<user>) are moved at start: legacy-keys.redis.ts.
 */
export class RouterStore implements BatchStore, UserStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttls: StoreTtls,
  ) {}

  key(...parts: string[]): string {
    return `${this.prefix}${parts.join(':')}`;
  }

  async loadAddressed(named: string | undefined, waID: string, defaultId: string): Promise<AddressedUser> {
    const userKey = (await this.resolveUserKeys([waID])).get(waID) ?? waID;
    const phoneNumberId = named ?? (await this.redis.get(this.key('user', 'number', userKey))) ?? defaultId;
    const conversation = conversationKey(phoneNumberId, userKey);
    const { users } = await this.loadBatch({ eventIds: [], userKeys: [conversation], wamids: [] });
    const state = users.get(conversation) ?? { session: null, window: null };
    return { userKey, phoneNumberId, conversation, state };
  }

  async resolveUserKeys(ids: readonly string[]): Promise<Map<string, string>> {
    const current = new Map(ids.map((id) => [id, id]));
    let frontier = [...current.keys()];
    // A key changed twice leads on twice (old → newer → newest): a few hops at most, never round a loop.
    for (let hop = 0; hop < maxIdentityHops && frontier.length > 0; hop += 1) {
      const values = await this.redis.mget(frontier.map((id) => this.leadKey(id)));
      const step = new Map(frontier.map((id, i) => [id, values[i] ?? null]));
      const next = new Set<string>();
      for (const [origin, at] of current) {
        const lead = step.get(at);
        if (!lead || lead === at || lead === origin) continue;
        current.set(origin, lead);
        next.add(lead);
      }
      frontier = [...next];
    }
    return new Map([...current].filter(([origin, at]) => origin !== at));
  }

  /** Where an id leads: a phone to its BSUID (user:phone), a BSUID to the one that replaced it (user:moved). */
  private leadKey(id: string): string {
    return isBusinessScopedUserId(id) ? this.key('user', 'moved', id) : this.key('user', 'phone', id);
  }

  /**
   * Everything an inbound batch reads, in one round trip: which event ids were seen (dedup), each user's
   * session and window, and each outbound wamid's sender and last forwarded status.
   */
  async loadBatch(input: BatchReads): Promise<BatchState> {
    const { eventIds, userKeys, wamids } = input;
    const leadIds = input.leadIds ?? [];
    const pipeline = this.redis.pipeline();
    if (leadIds.length > 0) pipeline.mget(leadIds.map((id) => this.leadKey(id)));
    if (input.checkpointKey) pipeline.hgetall(input.checkpointKey);
    for (const id of eventIds) pipeline.exists(this.key('dedup', id));
    if (userKeys.length > 0)
      pipeline.mget(userKeys.flatMap((user) => [this.key('session', user), this.key('window', user)]));
    if (wamids.length > 0)
      pipeline.mget(wamids.flatMap((w) => [this.key('wamid', w), this.key('status', w)]));
    const all = pipeline.length > 0 ? await exec(pipeline) : [];
    const leads = (leadIds.length > 0 ? all.shift() : []) as (string | null)[];
    const checkpoint = input.checkpointKey ? parseCheckpoint(all[0] as Record<string, string>) : null;
    const results = input.checkpointKey ? all.slice(1) : all;
    const exists = results.slice(0, eventIds.length);
    const userValues = (userKeys.length > 0 ? results[eventIds.length] : []) as (string | null)[];
    const statusValues = (wamids.length > 0 ? results.at(-1) : []) as (string | null)[];
    return {
      checkpoint,
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
      leading: new Set(leadIds.filter((id, i) => leads[i] && leads[i] !== id)),
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
    this.queueUserStates(pipeline, input.users ?? new Map());
    for (const [wamid, status] of input.statuses ?? [])
      pipeline.set(this.key('status', wamid), status, 'EX', this.ttls.wamidSeconds);
    for (const id of input.seenIds ?? [])
      pipeline.set(this.key('dedup', id), '1', 'EX', this.ttls.dedupSeconds, 'NX');
    if (pipeline.length > 0) await exec(pipeline);
  }

  /** Adds session and window writes to a pipeline or MULTI (the session TTL restarts). */
  queueUserStates(pipeline: ChainableCommander, users: ReadonlyMap<string, UserState>): void {
    for (const [user, state] of users) {
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
  }

  /**
   * Everything an inbound batch writes, in one atomic script, before its Kafka transaction commits: the state
   * (as saveBatch), wamid → sender mappings and resolved send claims learnt from statuses, and the partition's
   * checkpoint holding the batch's offsets and the records it produced. Written only if the checkpoint still
   * ends where this batch read it (another router that took the partition over wrote first: CheckpointMovedError,
   * the batch is replayed). The order of effects and why each crash point is safe: README "Exactly once".
   */
  async commitBatch(input: BatchWrites): Promise<void> {
    const ops: (string | number)[] = [];
    const set = (key: string, value: string, ttl: number) => ops.push('set', key, value, ttl);
    // First: a conversation moved away and written again later in the batch keeps the later state.
    this.identityOps(ops, input.identities);
    for (const [user, state] of input.users) {
      if (state.session)
        set(this.key('session', user), JSON.stringify(state.session), this.ttls.sessionSeconds);
      else ops.push('del', this.key('session', user));
      if (state.window) {
        const value = { last_inbound_at: state.window.lastInboundAt.toISOString(), user: state.window.user };
        set(this.key('window', user), JSON.stringify(value), this.ttls.sessionSeconds * 2);
      }
    }
    for (const [wamid, status] of input.statuses)
      set(this.key('status', wamid), status, this.ttls.wamidSeconds);
    for (const [wamid, sent] of input.sent)
      set(this.key('wamid', wamid), JSON.stringify(sent), this.ttls.wamidSeconds);
    for (const [claimId, wamid] of input.resolvedClaims)
      set(resolvedKey(this.prefix, claimId), wamid, this.ttls.dedupSeconds);
    for (const id of input.seenIds) ops.push('setnx', this.key('dedup', id), '1', this.ttls.dedupSeconds);
    const { first, last, records } = input.checkpoint;
    const written = await this.redis.eval(
      commitBatchScript,
      1,
      input.checkpointKey,
      input.expectedLast ?? '',
      first,
      last,
      JSON.stringify(records),
      ...ops,
    );
    if (written !== 1) throw new CheckpointMovedError(input.checkpointKey);
  }

  /** Links and moved keys; a conversation whose state moved elsewhere loses its session and window. */
  private identityOps(ops: (string | number)[], identities: IdentityWrites | undefined): void {
    if (!identities) return;
    for (const conversation of identities.removedConversations)
      ops.push('del', this.key('session', conversation), 'del', this.key('window', conversation));
    for (const [waId, userId] of identities.phoneLinks)
      ops.push('set', this.key('user', 'phone', waId), userId, identitySeconds);
    for (const [previous, next] of identities.movedKeys)
      ops.push('set', this.key('user', 'moved', previous), next, identitySeconds);
    for (const [userKey, phoneNumberId] of identities.lastNumbers ?? [])
      ops.push('set', this.key('user', 'number', userKey), phoneNumberId, identitySeconds);
  }

  async recordSent(wamid: string, sent: SentMessage): Promise<void> {
    await this.redis.set(this.key('wamid', wamid), JSON.stringify(sent), 'EX', this.ttls.wamidSeconds);
  }
}

/** Another router wrote this partition's checkpoint since this batch read it. */
export class CheckpointMovedError extends DomainError<'checkpoint_moved'> {
  constructor(key: string) {
    super('checkpoint_moved', `${key} moved since the batch read it: another router owns the partition now`);
  }
}

const commitBatchScript = `
local last = redis.call('HGET', KEYS[1], 'last') or ''
if last ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'first', ARGV[2], 'last', ARGV[3], 'records', ARGV[4])
local i = 5
while i <= #ARGV do
  local op = ARGV[i]
  if op == 'set' then
    redis.call('SET', ARGV[i + 1], ARGV[i + 2], 'EX', ARGV[i + 3]); i = i + 4
  elseif op == 'setnx' then
    redis.call('SET', ARGV[i + 1], ARGV[i + 2], 'EX', ARGV[i + 3], 'NX'); i = i + 4
  elseif op == 'del' then
    redis.call('DEL', ARGV[i + 1]); i = i + 2
  else
    return redis.error_reply('unknown op ' .. tostring(op))
  end
end
return 1
`;

function parseCheckpoint(hash: Record<string, string> | null): Checkpoint | null {
  if (!hash?.last || hash.first === undefined) return null;
  return { first: hash.first, last: hash.last, records: JSON.parse(hash.records ?? '[]') as OutRecord[] };
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
