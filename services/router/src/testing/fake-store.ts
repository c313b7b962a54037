import type { DeliveryStatus } from '@wa-broker/shared/agent-inbound';
import { conversationKey, isBusinessScopedUserId } from '@wa-broker/shared/user-identity';
import type {
  AddressedUser,
  BatchReads,
  BatchState,
  BatchStore,
  BatchWrites,
  Checkpoint,
  SentMessage,
  UserState,
  UserStore,
} from '../domain/ports.js';

/**
 * The router's Redis state in memory (router-store.redis.ts), for handler unit tests: the same contract (the
 * integration tests hold the adapter to it), every write visible as plain maps.
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
      leading: new Set((input.leadIds ?? []).filter((id) => (this.lead(id) ?? id) !== id)),
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
