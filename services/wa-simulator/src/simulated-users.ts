import { createHash } from 'node:crypto';
import type { Logger } from '@wa-broker/shared/logger';
import type { WebhookDelivery } from './adapters/webhook-delivery.js';
import type { ChatEntry, ConversationStore } from './conversation-store.js';
import { countryOfPhone, deriveBusinessScopedUserId, isBusinessScopedUserId } from './domain/bsuid.js';
import { inboundWamid, mediaId } from './domain/ids.js';
import {
  type IdentityChange,
  inboundMessageItem,
  systemMessageItem,
  type UserAction,
} from './domain/user-actions.js';
import {
  addressOf,
  type BusinessNumber,
  messagesChange,
  type SimUser,
  statusesChange,
  systemChange,
} from './domain/webhook-payloads.js';
import type { Media } from './whatsapp-simulator.js';

/** A new user: with a phone number, or username-only (no phone shared: a BSUID and a username). */
export interface NewUser {
  waId?: string;
  userId?: string;
  username?: string;
  countryCode?: string;
  name: string;
}

export type IdentityRequest =
  | { type: 'user_changed_number'; waId: string }
  | { type: 'user_changed_user_id'; userId?: string };

export class IdentityConflict extends Error {}

/** What simulated users do on their phones; each action becomes a signed webhook POST in Meta's format. */
export class SimulatedUsers {
  constructor(
    private readonly number: BusinessNumber,
    private readonly store: ConversationStore,
    private readonly delivery: WebhookDelivery,
    private readonly media: Map<string, Media>,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `POST /sim/users`. The BSUID is derived, so the same user gets the same one after a restart. */
  create(input: NewUser): SimUser {
    const countryCode = input.countryCode ?? (input.waId ? countryOfPhone(input.waId) : 'US');
    const seed = input.waId ? `phone:${input.waId}` : `username:${input.username ?? input.name}`;
    const userId = input.userId ?? deriveBusinessScopedUserId(this.number.wabaId, seed, countryCode);
    return this.store.create({
      ...(input.waId ? { waId: input.waId } : {}),
      userId,
      countryCode,
      name: input.name,
      ...(input.username ? { username: input.username } : {}),
    });
  }

  /** The user at `address` (phone number or BSUID) sends something; a profile name renames them. */
  sends(address: string, profileName: string | undefined, action: UserAction): ChatEntry {
    const user = profileName ? this.store.change(address, { name: profileName }) : this.store.user(address);
    const at = this.now();
    const wamid = inboundWamid(user.waId ?? user.userId);
    const item = inboundMessageItem(this.number, user, wamid, at, action);
    const entry = this.store.add(user.userId, {
      wamid,
      direction: 'in',
      at: at.toISOString(),
      type: String(item.type),
      content: item,
    });
    this.delivery.enqueue(messagesChange(this.number, user, [item]), this.store.keyOf(user.userId));
    this.logger.info({ user_id: user.userId, wamid, type: item.type }, 'user message sent to the webhook');
    return entry;
  }

  /**
   * The user changes their phone number (and with it their BSUID) or gets a new BSUID: Meta's system message
   * (meta-2026-changes.md §1.2). Afterwards only the new ids reach them.
   */
  changeIdentity(address: string, request: IdentityRequest): { user: SimUser; entry: ChatEntry } {
    const before = this.store.user(address);
    const patch = this.identityPatch(before, request);
    for (const id of [patch.waId, patch.userId])
      if (id && this.store.find(id) && this.store.find(id) !== before)
        throw new IdentityConflict(`${id} already belongs to another simulated user`);
    const after = this.store.change(address, patch);
    const change = { type: request.type, before, after } as IdentityChange;
    const at = this.now();
    const wamid = inboundWamid(after.waId ?? after.userId);
    const item = systemMessageItem(change, wamid, at);
    const entry = this.store.add(
      after.userId,
      { wamid, direction: 'in', at: at.toISOString(), type: 'system', content: item },
      false,
    );
    this.delivery.enqueue(systemChange(this.number, [item]), this.store.keyOf(after.userId));
    this.logger.info({ user_id: after.userId, previous_user_id: before.userId }, request.type);
    return { user: after, entry };
  }

  /** Stores an image the user "takes" and returns what the webhook item carries. */
  addImage(bytes: Buffer, mimeType: string): { media_id: string; mime_type: string; sha256: string } {
    const id = mediaId();
    const sha256 = createHash('sha256').update(bytes).digest('base64');
    this.media.set(id, { mimeType, bytes, sha256 });
    return { media_id: id, mime_type: mimeType, sha256 };
  }

  /** The user opens the chat: everything delivered to them becomes read (Meta's read receipts). */
  reads(address: string): number {
    const user = this.store.find(address);
    if (!user) return 0;
    const unread = this.store
      .entries(address)
      .filter(
        (entry) => entry.direction === 'out' && (entry.status === 'sent' || entry.status === 'delivered'),
      );
    const recipient = addressOf(user);
    for (const entry of unread) {
      this.store.advance(entry.wamid, 'read');
      this.delivery.enqueue(
        statusesChange(this.number, [
          {
            wamid: entry.wamid,
            status: 'read',
            at: this.now(),
            recipient,
            bizOpaqueCallbackData: entry.bizOpaqueCallbackData,
          },
        ]),
        this.store.keyOf(user.userId),
      );
    }
    return unread.length;
  }

  private identityPatch(before: SimUser, request: IdentityRequest): Partial<SimUser> {
    if (request.type === 'user_changed_number') {
      const countryCode = countryOfPhone(request.waId, before.countryCode);
      const userId = deriveBusinessScopedUserId(this.number.wabaId, `phone:${request.waId}`, countryCode);
      // Meta names the new number in the system message: it is shared again, like a fresh contact.
      return { waId: request.waId, userId, countryCode, phoneHidden: false };
    }
    const userId =
      request.userId ??
      deriveBusinessScopedUserId(this.number.wabaId, `rotated:${before.userId}`, before.countryCode);
    if (!isBusinessScopedUserId(userId)) throw new IdentityConflict(`${userId} is not a business-scoped id`);
    return { userId };
  }
}
