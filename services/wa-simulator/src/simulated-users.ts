import { userRef } from '@wa-broker/shared/log-privacy';
import type { Logger } from '@wa-broker/shared/logger';
import { baseMimeType } from '@wa-broker/shared/meta-media-rules';
import type { MetaMediaType } from '@wa-broker/shared/meta-media-types';
import type { WebhookDelivery } from './adapters/webhook-delivery.js';
import type { ChatEntry, ConversationStore } from './conversation-store.js';
import { countryOfPhone, deriveBusinessScopedUserId, isBusinessScopedUserId } from './domain/bsuid.js';
import type { NumberDirectory, SimNumber } from './domain/business-numbers.js';
import { inboundWamid } from './domain/ids.js';
import { isAnimatedWebp, isOpusOgg } from './domain/media-sniff.js';
import {
  type IdentityChange,
  inboundMessageItem,
  systemMessageItem,
  type UserAction,
} from './domain/user-actions.js';
import {
  addressOf,
  messagesChange,
  type SimUser,
  statusesChange,
  systemChange,
} from './domain/webhook-payloads.js';
import type { MediaStore, PhoneMedia } from './media-store.js';

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

/** A file a simulated user sends: its bytes (as much as was kept), its real size and what the message says. */
export interface UserFile {
  mediaType: MetaMediaType;
  bytes: Buffer;
  /** The file's real size: above Meta's inbound cap it never reaches the business (131052). */
  size: number;
  mimeType: string;
  filename?: string;
  caption?: string;
  voice?: boolean;
  animated?: boolean;
  /** Treat the file as above the cap whatever its size (a test hook). */
  tooLarge?: boolean;
}

/**
 * What simulated users do on their phones; each action becomes a signed webhook POST in Meta's format, carrying
 * the metadata of the business number the user writes to (and `entry[].id` its WABA). BSUIDs are scoped to the
 * portfolio (here the first number's WABA): a user has the same one with every number, even in another WABA.
 */
export class SimulatedUsers {
  private readonly portfolio: string;
  private readonly now: () => Date;

  constructor(
    private readonly numbers: NumberDirectory,
    private readonly store: ConversationStore,
    private readonly delivery: WebhookDelivery,
    private readonly media: MediaStore,
    private readonly logger: Logger,
    private readonly settings: {
      /** The simulator's base URL as webhook receivers reach it: media `url`s in webhooks start with it. */
      publicUrl: () => string;
      /** The largest file Meta passes on to the business (100 MB). */
      inboundMaxBytes: number;
      now?: () => Date;
    },
  ) {
    this.portfolio = numbers.first.wabaId;
    this.now = settings.now ?? (() => new Date());
  }

  /** `POST /sim/users`. The BSUID is derived, so the same user gets the same one after a restart. */
  create(input: NewUser): SimUser {
    const countryCode = input.countryCode ?? (input.waId ? countryOfPhone(input.waId) : 'US');
    const seed = input.waId ? `phone:${input.waId}` : `username:${input.username ?? input.name}`;
    const userId = input.userId ?? deriveBusinessScopedUserId(this.portfolio, seed, countryCode);
    return this.store.create({
      ...(input.waId ? { waId: input.waId } : {}),
      userId,
      countryCode,
      name: input.name,
      ...(input.username ? { username: input.username } : {}),
    });
  }

  /**
   * The user at `address` (phone number or BSUID) sends something to `number`, opening its window with them; a
   * profile name renames them.
   */
  sends(
    number: SimNumber,
    address: string,
    profileName: string | undefined,
    action: UserAction,
    media?: PhoneMedia,
  ): ChatEntry {
    const user = profileName ? this.store.change(address, { name: profileName }) : this.store.user(address);
    const at = this.now();
    const wamid = inboundWamid(user.waId ?? user.userId);
    const item = inboundMessageItem(number, user, wamid, at, action);
    const entry = this.store.add(user.userId, {
      wamid,
      phone_number_id: number.phoneNumberId,
      direction: 'in',
      at: at.toISOString(),
      type: String(item.type),
      content: item,
      ...(media ? { media } : {}),
    });
    this.delivery.enqueue(
      { wabaId: number.wabaId, change: messagesChange(number, user, [item]) },
      this.store.keyOf(user.userId),
    );
    this.logger.info(
      { phone_number_id: number.phoneNumberId, user: userRef(user.userId), wamid, type: item.type },
      'user message sent to the webhook',
    );
    return entry;
  }

  /**
   * The user changes their phone number (and with it their BSUID) or gets a new BSUID: Meta's system message
   * (meta-2026-changes.md §1.2), posted with `number`'s metadata. Afterwards only the new ids reach them.
   */
  changeIdentity(
    number: SimNumber,
    address: string,
    request: IdentityRequest,
  ): { user: SimUser; entry: ChatEntry } {
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
      {
        wamid,
        phone_number_id: number.phoneNumberId,
        direction: 'in',
        at: at.toISOString(),
        type: 'system',
        content: item,
      },
      false,
    );
    this.delivery.enqueue(
      { wabaId: number.wabaId, change: systemChange(number, [item]) },
      this.store.keyOf(after.userId),
    );
    this.logger.info({ user: userRef(after.userId), previous_user: userRef(before.userId) }, request.type);
    return { user: after, entry };
  }

  /**
   * The user sends a file to `number`: kept as that number's inbound media (its id good for 7 days, only its
   * tokens may fetch it) and posted as Meta's media message with a fresh download URL; a file above Meta's
   * inbound cap becomes the 131052 webhook instead, and stays only on the phone.
   */
  sendsFile(number: SimNumber, address: string, profileName: string | undefined, file: UserFile): ChatEntry {
    if (file.tooLarge || file.size > this.settings.inboundMaxBytes)
      return this.sends(number, address, profileName, {
        type: 'media_too_large',
        media_type: file.mediaType,
      });
    const opus = baseMimeType(file.mimeType) === 'audio/ogg' && isOpusOgg(file.bytes);
    // WhatsApp names a recording's codec (`audio/ogg; codecs=opus`), as in Meta's voice-note webhooks.
    const mimeType = opus && !file.mimeType.includes('codecs') ? 'audio/ogg; codecs=opus' : file.mimeType;
    const stored = this.media.add({
      bytes: file.bytes,
      mimeType,
      phoneNumberId: number.phoneNumberId,
      origin: 'inbound',
      ...(file.filename ? { filename: file.filename } : {}),
    });
    const voice = file.mediaType === 'audio' ? (file.voice ?? false) : undefined;
    const animated = file.mediaType === 'sticker' ? (file.animated ?? isAnimatedWebp(file.bytes)) : undefined;
    const described = {
      ...(file.caption ? { caption: file.caption } : {}),
      ...(file.filename ? { filename: file.filename } : {}),
      ...(voice !== undefined ? { voice } : {}),
      ...(animated !== undefined ? { animated } : {}),
    };
    return this.sends(
      number,
      address,
      profileName,
      {
        type: file.mediaType,
        media_id: stored.id,
        mime_type: mimeType,
        sha256: stored.digest.toString('base64'),
        url: this.media.signedUrl(this.settings.publicUrl(), stored),
        ...described,
      },
      this.media.phoneView(stored, described),
    );
  }

  /**
   * The user opens the chat with `number` (every chat without one): everything delivered to them there becomes
   * read (Meta's read receipts, each with the metadata of the number that sent the message).
   */
  reads(address: string, only?: SimNumber): number {
    const user = this.store.find(address);
    if (!user) return 0;
    const unread = this.store
      .entries(address, 0, only?.phoneNumberId)
      .filter(
        (entry) => entry.direction === 'out' && (entry.status === 'sent' || entry.status === 'delivered'),
      );
    const recipient = addressOf(user);
    for (const entry of unread) {
      const number = this.numbers.find(entry.phone_number_id);
      if (!number) continue;
      this.store.advance(entry.wamid, 'read');
      const update = {
        wamid: entry.wamid,
        status: 'read' as const,
        at: this.now(),
        recipient,
        bizOpaqueCallbackData: entry.bizOpaqueCallbackData,
      };
      this.delivery.enqueue(
        { wabaId: number.wabaId, change: statusesChange(number, [update]) },
        this.store.keyOf(user.userId),
      );
    }
    return unread.length;
  }

  private identityPatch(before: SimUser, request: IdentityRequest): Partial<SimUser> {
    if (request.type === 'user_changed_number') {
      const countryCode = countryOfPhone(request.waId, before.countryCode);
      const userId = deriveBusinessScopedUserId(this.portfolio, `phone:${request.waId}`, countryCode);
      // Meta names the new number in the system message: it is shared again, like a fresh contact.
      return { waId: request.waId, userId, countryCode, phoneHidden: false };
    }
    const userId =
      request.userId ??
      deriveBusinessScopedUserId(this.portfolio, `rotated:${before.userId}`, before.countryCode);
    if (!isBusinessScopedUserId(userId)) throw new IdentityConflict(`${userId} is not a business-scoped id`);
    return { userId };
  }
}
