import { identityChangeOf } from '@wa-broker/shared/user-identity';
import type { MetaContact, UserIdentity } from '@wa-broker/shared/webhook-events';
import { asObject, asString, type JsonObject } from './meta-values.js';

export interface Identified {
  user: UserIdentity | null;
  contact: MetaContact | null;
}

/**
 * Who sent an inbound message: the business-scoped `user_id` (the key, user-identity.ts) and `wa_id` when Meta
 * shares the phone (from the matching contact, else `from`; the two may differ, so the contact wins). An identity
 * change (a system message, no contacts) is about the user as they are now: its new `user_id`, so it is keyed
 * like, and ordered before, everything the user sends next.
 */
export function identifySender(message: JsonObject, contacts: JsonObject[], index: number): Identified {
  const change = identityChangeOf(message);
  if (change)
    return {
      user: identity(change.waId, change.userId, change.parentUserId),
      contact: null,
    };
  const from = asString(message.from);
  const fromUserId = asString(message.from_user_id);
  const contact = matchContact(contacts, index, from, fromUserId);
  const waId = asString(contact?.wa_id) ?? from;
  const userId = asString(contact?.user_id) ?? fromUserId;
  const parent = asString(contact?.parent_user_id) ?? asString(message.from_parent_user_id);
  return { user: identity(waId, userId, parent), contact: (contact as MetaContact | undefined) ?? null };
}

/** Whom a status is about: `recipient_user_id` and, when shared, the phone in `recipient_id`. */
export function identifyRecipient(status: JsonObject, contacts: JsonObject[]): Identified {
  const waId = asString(status.recipient_id);
  const userId = asString(status.recipient_user_id);
  const contact = contacts.find(
    (candidate) =>
      (waId !== undefined && candidate.wa_id === waId) ||
      (userId !== undefined && candidate.user_id === userId),
  );
  const parent = asString(status.recipient_parent_user_id);
  return { user: identity(waId, userId, parent), contact: (contact as MetaContact | undefined) ?? null };
}

/**
 * The user an activity item is about: the caller of a user-initiated call and the sender of a user's message,
 * the recipient of what the business sent (a business-initiated call, an echo), else whatever user id it names.
 */
export function identifyParticipant(
  item: JsonObject,
  contacts: JsonObject[],
  sentByBusiness: boolean,
): Identified {
  const outgoing = item.direction === undefined ? sentByBusiness : item.direction === 'BUSINESS_INITIATED';
  const recipient = asObject(item.recipient);
  const waId = outgoing
    ? asString(item.to)
    : (asString(item.from) ?? asString(item.wa_id) ?? asString(recipient?.id));
  const userId = outgoing
    ? asString(item.to_user_id)
    : (asString(item.from_user_id) ?? asString(item.user_id) ?? asString(item.recipient_user_id));
  const contact = contacts.find(
    (candidate) =>
      (waId !== undefined && candidate.wa_id === waId) ||
      (userId !== undefined && candidate.user_id === userId),
  );
  return { user: identity(waId, userId, undefined), contact: (contact as MetaContact | undefined) ?? null };
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

function identity(
  waId: string | undefined,
  userId: string | undefined,
  parentUserId: string | undefined,
): UserIdentity | null {
  if (waId === undefined && userId === undefined) return null;
  return {
    ...(waId !== undefined && { wa_id: waId }),
    ...(userId !== undefined && { user_id: userId }),
    ...(parentUserId !== undefined && { parent_user_id: parentUserId }),
  };
}
