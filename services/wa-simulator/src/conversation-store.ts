import type { SimUser } from './domain/webhook-payloads.js';

export type Direction = 'in' | 'out';
export type DeliveryState = 'accepted' | 'sent' | 'delivered' | 'read' | 'failed';

/** One message as the simulated phone shows it. */
export interface ChatEntry {
  seq: number;
  wamid: string;
  direction: Direction;
  at: string;
  type: string;
  /** The sent or received Meta object (text, interactive, template, …). */
  content: Record<string, unknown>;
  status?: DeliveryState;
  error?: { code: number; title: string };
  /** For outbound messages: the send's `biz_opaque_callback_data`, echoed in each of its statuses. */
  bizOpaqueCallbackData?: string;
  /** For inbound messages: the business marked it read. */
  readByBusiness?: boolean;
}

interface UserRecord {
  user: SimUser;
  lastInboundAt?: Date;
  entries: ChatEntry[];
}

const rank: Record<DeliveryState, number> = { accepted: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/** The simulator's memory: users, their chats and which outbound wamid belongs to whom. */
export class ConversationStore {
  private readonly users = new Map<string, UserRecord>();
  private readonly owners = new Map<string, string>();
  private seq = 0;

  upsertUser(user: SimUser): SimUser {
    const record = this.users.get(user.waId);
    if (record) record.user = { ...record.user, name: user.name || record.user.name };
    else this.users.set(user.waId, { user, entries: [] });
    return this.userOf(user.waId) as SimUser;
  }

  userOf(waId: string): SimUser | undefined {
    return this.users.get(waId)?.user;
  }

  listUsers(): (SimUser & { lastInboundAt: string | null; messages: number })[] {
    return [...this.users.values()].map((record) => ({
      ...record.user,
      lastInboundAt: record.lastInboundAt?.toISOString() ?? null,
      messages: record.entries.length,
    }));
  }

  lastInboundAt(waId: string): Date | undefined {
    return this.users.get(waId)?.lastInboundAt;
  }

  /** Test hook: pretend the user's last message is older (to close the 24 h window). */
  setLastInboundAt(waId: string, at: Date): void {
    const record = this.users.get(waId);
    if (record) record.lastInboundAt = at;
  }

  add(waId: string, entry: Omit<ChatEntry, 'seq'>): ChatEntry {
    const record = this.users.get(waId) ?? { user: { waId, name: waId }, entries: [] };
    this.users.set(waId, record);
    const stored = { ...entry, seq: ++this.seq };
    record.entries.push(stored);
    if (entry.direction === 'in') record.lastInboundAt = new Date(entry.at);
    else this.owners.set(entry.wamid, waId);
    return stored;
  }

  entries(waId: string, afterSeq = 0): ChatEntry[] {
    return (this.users.get(waId)?.entries ?? []).filter((entry) => entry.seq > afterSeq);
  }

  ownerOf(wamid: string): string | undefined {
    return this.owners.get(wamid);
  }

  /** Moves an outbound message's state forward only; a late `delivered` never overwrites `read`. */
  advance(wamid: string, status: DeliveryState, error?: ChatEntry['error']): void {
    const waId = this.owners.get(wamid);
    const entry = waId
      ? this.users.get(waId)?.entries.find((candidate) => candidate.wamid === wamid)
      : undefined;
    if (!entry || rank[status] <= rank[entry.status ?? 'accepted']) return;
    entry.status = status;
    if (error) entry.error = error;
  }

  /** Meta marks the message and every earlier inbound message of the thread as read. */
  markReadByBusiness(wamid: string): boolean {
    for (const record of this.users.values()) {
      const index = record.entries.findIndex((entry) => entry.wamid === wamid && entry.direction === 'in');
      if (index < 0) continue;
      for (const entry of record.entries.slice(0, index + 1))
        if (entry.direction === 'in') entry.readByBusiness = true;
      return true;
    }
    return false;
  }

  clear(): void {
    this.users.clear();
    this.owners.clear();
  }
}
