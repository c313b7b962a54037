import type { MetaContact, UserIdentity } from '@wa-broker/shared/webhook-events';
import { asString, type JsonObject } from './meta-values.js';

export interface Identified {
  user: UserIdentity | null;
  contact: MetaContact | null;
}

/**
 * Who sent an inbound message. `wa_id` (from the matching contact, else `from`) is the key; users without a
 * phone number carry only a business-scoped `user_id`. `wa_id` and `from` may differ, so the contact wins.
 */
export function identifySender(message: JsonObject, contacts: JsonObject[], index: number): Identified {
  const from = asString(message.from);
  const fromUserId = asString(message.from_user_id);
  const contact = matchContact(contacts, index, from, fromUserId);
  const waId = asString(contact?.wa_id) ?? from;
  const userId = asString(contact?.user_id) ?? fromUserId;
  return { user: identity(waId, userId), contact: (contact as MetaContact | undefined) ?? null };
}

/** Whom a status is about: `recipient_id`, else the business-scoped `recipient_user_id`. */
export function identifyRecipient(status: JsonObject, contacts: JsonObject[]): Identified {
  const waId = asString(status.recipient_id);
  const userId = asString(status.recipient_user_id);
  const contact = contacts.find(
    (candidate) =>
      (waId !== undefined && candidate.wa_id === waId) ||
      (userId !== undefined && candidate.user_id === userId),
  );
  return { user: identity(waId, userId), contact: (contact as MetaContact | undefined) ?? null };
}

/** The Kafka key that keeps one user's events in order: `wa_id`, else `user_id`. */
export function userKey(user: UserIdentity | null): string | undefined {
  return user?.wa_id ?? user?.user_id;
}

function matchContact(
  contacts: JsonObject[],
  index: number,
  from: string | undefined,
  fromUserId: string | undefined,
): JsonObject | undefined {
  if (contacts.length === 1) return contacts[0];
  const byId = contacts.find(
    (contact) =>
      (from !== undefined && contact.wa_id === from) ||
      (fromUserId !== undefined && contact.user_id === fromUserId),
  );
  return byId ?? contacts[index];
}

function identity(waId: string | undefined, userId: string | undefined): UserIdentity | null {
  if (waId === undefined && userId === undefined) return null;
  return { ...(waId !== undefined && { wa_id: waId }), ...(userId !== undefined && { user_id: userId }) };
}
