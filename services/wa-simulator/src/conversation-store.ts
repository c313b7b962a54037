import type { RenderedTemplate } from './domain/template-send.js';
import type { SimUser } from './domain/webhook-payloads.js';
import type { PhoneMedia } from './media-store.js';

export type Direction = 'in' | 'out';
export type DeliveryState = 'accepted' | 'sent' | 'delivered' | 'read' | 'failed';

/** One message as the simulated phone shows it. */
export interface ChatEntry {
  seq: number;
  wamid: string;
  /** The business number of the chat: the one the user wrote to, or the one the business sent from. */
  phone_number_id: string;
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
  /** The file the user sent or received, as the phone holds it (bytes at `media.url`). */
  media?: PhoneMedia;
  /** A template the user received: its texts with the send's parameters filled in, as the phone shows it. */
  template?: RenderedTemplate;
}

interface UserRecord {
  user: SimUser;
  /** The user's last message to each business number: the 24 h window is per (user, number), as at Meta. */
  lastInbound: Map<string, Date>;
  entries: ChatEntry[];
  /** Per business number: the user sees "typing…" until then, unless the business replies first. */
  typingUntil: Map<string, Date>;
}

const rank: Record<DeliveryState, number> = { accepted: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * The simulator's memory: users, their chats and which outbound wamid belongs to whom. A user is found by any
 * of their current ids (phone number or BSUID); after an identity change only the new ones find them, as at
 * Meta. `newUser` makes the user a send or an action addresses for the first time. A user has one list of
 * entries, each tagged with its business number: the chat with a number is its entries.
 */
export class ConversationStore {
  private readonly records = new Map<number, UserRecord>();
  /** Current `waId` and `userId` of every user → their record. */
  private readonly index = new Map<string, number>();
  private readonly owners = new Map<string, number>();
  private nextRecord = 0;
  private seq = 0;

  constructor(private readonly newUser: (address: string) => SimUser) {}

  find(address: string): SimUser | undefined {
    return this.recordOf(address)?.user;
  }

  /** The user with this phone number or BSUID, made on first contact. */
  user(address: string): SimUser {
    return this.ensure(address).user;
  }

  /** Adds a user, or renames the one who already has one of their ids. */
  create(user: SimUser): SimUser {
    const existing = (user.waId && this.recordOf(user.waId)) || this.recordOf(user.userId);
    if (existing) return this.update(existing, { name: user.name || existing.user.name });
    const record: UserRecord = { user, lastInbound: new Map(), entries: [], typingUntil: new Map() };
    this.records.set(++this.nextRecord, record);
    this.reindex(this.nextRecord, user);
    return user;
  }

  /** Changes what the user's phone shows (name) or who they are (ids): the old ids stop finding them. */
  change(address: string, patch: Partial<SimUser>): SimUser {
    return this.update(this.ensure(address), patch);
  }

  /** A key that stays the user's through identity changes (their webhooks keep their order across one). */
  keyOf(address: string): string | undefined {
    const id = this.index.get(address);
    return id === undefined ? undefined : `user-${id}`;
  }

  /**
   * `lastInboundAt`: the user's latest message to any number; `lastInboundByNumber`: per number
   * (`phone_number_id` → time), each opening that number's window.
   */
  listUsers(): (SimUser & {
    lastInboundAt: string | null;
    lastInboundByNumber: Record<string, string>;
    messages: number;
  })[] {
    return [...this.records.values()].map((record) => {
      const times = [...record.lastInbound.values()].map((at) => at.getTime());
      return {
        ...record.user,
        lastInboundAt: times.length > 0 ? new Date(Math.max(...times)).toISOString() : null,
        lastInboundByNumber: Object.fromEntries(
          [...record.lastInbound].map(([phoneNumberId, at]) => [phoneNumberId, at.toISOString()]),
        ),
        messages: record.entries.length,
      };
    });
  }

  /** The user's last message to this business number, which opened its 24 h window. */
  lastInboundAt(address: string, phoneNumberId: string): Date | undefined {
    return this.recordOf(address)?.lastInbound.get(phoneNumberId);
  }

  /** Test hook: pretend the user's last message to the number is older (to close its 24 h window). */
  setLastInboundAt(address: string, phoneNumberId: string, at: Date): void {
    this.recordOf(address)?.lastInbound.set(phoneNumberId, at);
  }

  /**
   * `opensWindow`: a user's own message opens the window with its number; a system message about them does
   * not open it.
   */
  add(address: string, entry: Omit<ChatEntry, 'seq'>, opensWindow = entry.direction === 'in'): ChatEntry {
    const record = this.ensure(address);
    const stored = { ...entry, seq: ++this.seq };
    record.entries.push(stored);
    if (opensWindow) record.lastInbound.set(entry.phone_number_id, new Date(entry.at));
    if (entry.direction === 'out') this.owners.set(entry.wamid, this.idOf(record));
    // The reply arrived: WhatsApp stops showing "typing…" for that chat.
    if (entry.direction === 'out') record.typingUntil.delete(entry.phone_number_id);
    return stored;
  }

  /** The user's entries after `afterSeq`: with every number, or the chat with one. */
  entries(address: string, afterSeq = 0, phoneNumberId?: string): ChatEntry[] {
    return (this.recordOf(address)?.entries ?? []).filter(
      (entry) =>
        entry.seq > afterSeq && (phoneNumberId === undefined || entry.phone_number_id === phoneNumberId),
    );
  }

  ownerOf(wamid: string): SimUser | undefined {
    const id = this.owners.get(wamid);
    return id === undefined ? undefined : this.records.get(id)?.user;
  }

  /** Moves an outbound message's state forward only; a late `delivered` never overwrites `read`. */
  advance(wamid: string, status: DeliveryState, error?: ChatEntry['error']): void {
    const id = this.owners.get(wamid);
    const entry =
      id === undefined
        ? undefined
        : this.records.get(id)?.entries.find((candidate) => candidate.wamid === wamid);
    if (!entry || rank[status] <= rank[entry.status ?? 'accepted']) return;
    entry.status = status;
    if (error) entry.error = error;
  }

  /** The phone got the file of an outbound media message (a link is fetched after the send is accepted). */
  setMedia(wamid: string, media: PhoneMedia): void {
    const id = this.owners.get(wamid);
    const entry = id === undefined ? undefined : this.records.get(id)?.entries.find((e) => e.wamid === wamid);
    if (entry) entry.media = media;
  }

  /**
   * Meta marks the message and every earlier inbound message of the thread (the user's chat with this number)
   * as read; a message the user sent to another number is not this number's to mark.
   */
  markReadByBusiness(wamid: string, phoneNumberId: string, typingUntil?: Date): boolean {
    const inThread = (entry: ChatEntry) =>
      entry.direction === 'in' && entry.phone_number_id === phoneNumberId;
    for (const record of this.records.values()) {
      const index = record.entries.findIndex((entry) => entry.wamid === wamid && inThread(entry));
      if (index < 0) continue;
      for (const entry of record.entries.slice(0, index + 1))
        if (inThread(entry)) entry.readByBusiness = true;
      if (typingUntil) record.typingUntil.set(phoneNumberId, typingUntil);
      return true;
    }
    return false;
  }

  /** Until when the user sees the business "typing…" in the chat with this number (null: not typing). */
  typingUntil(address: string, phoneNumberId: string, now: Date): Date | null {
    const until = this.recordOf(address)?.typingUntil.get(phoneNumberId);
    return until && until.getTime() > now.getTime() ? until : null;
  }

  clear(): void {
    this.records.clear();
    this.index.clear();
    this.owners.clear();
  }

  private recordOf(address: string): UserRecord | undefined {
    const id = this.index.get(address);
    return id === undefined ? undefined : this.records.get(id);
  }

  private ensure(address: string): UserRecord {
    const found = this.recordOf(address);
    if (found) return found;
    this.create(this.newUser(address));
    return this.recordOf(address) as UserRecord;
  }

  private idOf(record: UserRecord): number {
    return this.index.get(record.user.userId) as number;
  }

  private update(record: UserRecord, patch: Partial<SimUser>): SimUser {
    const id = this.idOf(record);
    for (const key of [record.user.waId, record.user.userId]) if (key) this.index.delete(key);
    record.user = { ...record.user, ...patch };
    this.reindex(id, record.user);
    return record.user;
  }

  private reindex(id: number, user: SimUser): void {
    if (user.waId) this.index.set(user.waId, id);
    this.index.set(user.userId, id);
  }
}
