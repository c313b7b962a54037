/**
 * Who a WhatsApp user is, as every part of the broker keys them (meta-2026-changes.md §1.2). Meta sends a
 * business-scoped user id (BSUID, `user_id`) in every webhook since 2026-03-31 and the phone number (`wa_id`)
 * only when the user shares it (contact in the last 30 days, or Meta's contact book), so the BSUID is the stable
 * part: it is the key whenever it is known, the phone only when no BSUID ever came. The key is the Kafka key of
 * every record about the user, the `waID` agents see and answer to, and (with the business number) the key of
 * the session and the 24 h window.
 */

export interface IdentityParts {
  wa_id?: string | undefined;
  user_id?: string | undefined;
}

/** The user's key: the BSUID when known, else the phone-based `wa_id`; undefined when neither came. */
export function userKeyOf(user: IdentityParts | null | undefined): string | undefined {
  return user?.user_id ?? user?.wa_id;
}

/**
 * A BSUID: an ISO-3166 alpha-2 country code, a period, up to 128 alphanumerics (`US.13491208655302741918`); a
 * parent BSUID has `ENT.` after the country. A phone-based `wa_id` is digits only, so the two never collide.
 * A BSUID must never go through phone normalisation.
 */
const bsuidPattern = /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/;

export function isBusinessScopedUserId(value: string): boolean {
  return bsuidPattern.test(value);
}

/** Whom a bare key addresses, when nothing else is known: a BSUID goes in `recipient`, a phone in `to`. */
export function addressOfKey(key: string): { wa_id: string } | { user_id: string } {
  return isBusinessScopedUserId(key) ? { user_id: key } : { wa_id: key };
}

/**
 * One conversation is one user on one business number: the session and the window live under this key. A
 * phone_number_id is digits and a user key has no colon, so the pair reads back unambiguously.
 */
export function conversationKey(phoneNumberId: string, userKey: string): string {
  return `${phoneNumberId}:${userKey}`;
}

/** Meta's identity-change system messages (changelog 2026-08-11): delivered on `messages`, `type: "system"`. */
export const identityChangeTypes = ['user_changed_number', 'user_changed_user_id'] as const;
export type IdentityChangeType = (typeof identityChangeTypes)[number];

export interface IdentityChange {
  type: IdentityChangeType;
  /** The BSUID the user had before. */
  previousUserId: string;
  /** The BSUID from now on (a new phone number brings a new BSUID). */
  userId: string;
  /** The new phone number, on `user_changed_number` when Meta shares it. */
  waId?: string;
  parentUserId?: string;
}

/**
 * Reads an identity change from a `messages[]` item: `system.type` one of the two, with `system.user_id` and
 * `system.previous_user_id`. Anything else (an older `customer_changed_number` without BSUIDs, a plain message)
 * is not an identity change.
 */
export function identityChangeOf(item: unknown): IdentityChange | undefined {
  if (!isRecord(item) || item.type !== 'system' || !isRecord(item.system)) return undefined;
  const { system } = item;
  const type = system.type;
  if (typeof type !== 'string' || !(identityChangeTypes as readonly string[]).includes(type))
    return undefined;
  const userId = text(system.user_id);
  const previousUserId = text(system.previous_user_id);
  if (!userId || !previousUserId) return undefined;
  const waId = text(system.wa_id);
  const parentUserId = text(system.parent_user_id);
  return {
    type: type as IdentityChangeType,
    previousUserId,
    userId,
    ...(waId ? { waId } : {}),
    ...(parentUserId ? { parentUserId } : {}),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;
