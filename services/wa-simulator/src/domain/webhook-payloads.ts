import { createHmac } from 'node:crypto';
import type { MessagePricing } from '@wa-broker/shared/pricing';

export interface BusinessNumber {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
}

/**
 * A simulated user as Meta shows them to the business: a business-scoped `userId` always, the phone number
 * (`waId`) only when the user shares it, a username when they chose one (meta-2026-changes.md §1.2).
 */
export interface SimUser {
  waId?: string;
  userId: string;
  countryCode: string;
  name: string;
  username?: string;
  /**
   * Meta stopped sharing the phone with the business (no contact for 30 days and not in its contact book,
   * meta-2026-changes.md §1.2): webhooks carry the BSUID only, though sends to the phone still reach the user.
   */
  phoneHidden?: boolean;
}

/** The phone as webhooks show it: only while Meta shares it. */
export function sharedPhone(user: Pick<SimUser, 'waId' | 'phoneHidden'>): string | undefined {
  return user.phoneHidden ? undefined : user.waId;
}

/** How a user is addressed in statuses and send answers: the phone only while it is shared. */
export function addressOf(user: SimUser): UserAddress {
  const waId = sharedPhone(user);
  return { ...(waId ? { waId } : {}), userId: user.userId };
}

/** How a user is addressed in statuses: `recipient_id` only when the phone is shared. */
export type UserAddress = Pick<SimUser, 'waId' | 'userId'>;

/** One change of a webhook body: a user's messages, or statuses, for one business number. */
export type WebhookChange = Record<string, unknown>;

/** A change and the WABA of its number: the `entry[]` it goes in (`entry[].id`). */
export interface EntryChange {
  wabaId: string;
  change: WebhookChange;
}

/**
 * Meta's wire format: JSON with every non-ASCII character escaped as `\uXXXX` in lowercase hex. Meta signs
 * these bytes, so receivers must check the signature over the raw body, never over re-serialised JSON.
 */
export function metaJson(value: unknown): Buffer {
  const escaped = JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return Buffer.from(escaped, 'utf8');
}

export function signatureHeader(body: Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

export const unixSeconds = (at: Date): string => String(Math.floor(at.getTime() / 1000));

const metadataOf = (number: BusinessNumber) => ({
  display_phone_number: number.displayPhoneNumber,
  phone_number_id: number.phoneNumberId,
});

/** `contacts[]`: `wa_id` only when the phone is shared; `user_id` and `country_code` always (§1.2). */
export function contactOf(user: SimUser): Record<string, unknown> {
  return {
    profile: { name: user.name, ...(user.username ? { username: user.username } : {}) },
    ...(sharedPhone(user) ? { wa_id: sharedPhone(user) } : {}),
    user_id: user.userId,
    country_code: user.countryCode,
  };
}

export function messagesChange(
  number: BusinessNumber,
  user: SimUser,
  messages: Record<string, unknown>[],
): WebhookChange {
  return {
    value: {
      messaging_product: 'whatsapp',
      metadata: metadataOf(number),
      contacts: [contactOf(user)],
      messages,
    },
    field: 'messages',
  };
}

/** System messages (identity changes) come without a `contacts` array (meta-2026-changes.md §1.2). */
export function systemChange(number: BusinessNumber, messages: Record<string, unknown>[]): WebhookChange {
  return {
    value: { messaging_product: 'whatsapp', metadata: metadataOf(number), messages },
    field: 'messages',
  };
}

export interface StatusUpdate {
  wamid: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: Date;
  recipient: UserAddress;
  error?: { code: number; title: string; details: string };
  /** The send's `biz_opaque_callback_data`, echoed in each of its statuses. */
  bizOpaqueCallbackData?: string;
  /** What Meta charges for the message (meta-2026-changes.md §1.3; domain/pricing.ts); none on a failure. */
  pricing?: MessagePricing;
}

export function statusesChange(number: BusinessNumber, statuses: StatusUpdate[]): WebhookChange {
  return {
    value: {
      messaging_product: 'whatsapp',
      metadata: metadataOf(number),
      statuses: statuses.map((update) => ({
        id: update.wamid,
        status: update.status,
        timestamp: unixSeconds(update.at),
        ...(update.recipient.waId ? { recipient_id: update.recipient.waId } : {}),
        recipient_user_id: update.recipient.userId,
        ...(update.bizOpaqueCallbackData !== undefined
          ? { biz_opaque_callback_data: update.bizOpaqueCallbackData }
          : {}),
        ...(update.pricing ? { pricing: update.pricing } : {}),
        ...(update.error
          ? {
              errors: [
                {
                  code: update.error.code,
                  title: update.error.title,
                  message: update.error.title,
                  error_data: { details: update.error.details },
                },
              ],
            }
          : {}),
      })),
    },
    field: 'messages',
  };
}

/**
 * A webhook body; Meta batches up to 1000 updates. One entry per WABA (`entry[].id`), in the order they first
 * appear, each with its changes in order: one entry with several changes when every number is in one WABA.
 */
export function webhookBody(changes: readonly EntryChange[]): Record<string, unknown> {
  const entries = new Map<string, WebhookChange[]>();
  for (const { wabaId, change } of changes) {
    const entry = entries.get(wabaId);
    if (entry) entry.push(change);
    else entries.set(wabaId, [change]);
  }
  return {
    object: 'whatsapp_business_account',
    entry: [...entries].map(([id, grouped]) => ({ id, changes: grouped })),
  };
}
