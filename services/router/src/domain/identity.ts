import type { UserIdentity } from '@wa-broker/shared/agent-inbound';
import type { IdentityChange } from '@wa-broker/shared/user-identity';
import type { MetaContact, UserIdentity as WebhookUser } from '@wa-broker/shared/webhook-events';

/** The user as a message shows them (ids, profile name, username), learnt onto what was known. */
export function identityOfMessage(
  known: UserIdentity | null | undefined,
  user: WebhookUser,
  contact: MetaContact | null,
): UserIdentity {
  const profile = contact?.profile;
  return learnIdentity(known, {
    ...user,
    ...(profile?.name ? { name: profile.name } : {}),
    ...(profile?.username ? { username: profile.username } : {}),
  });
}

/**
 * What the router knows about a user after one more webhook: what Meta sent now wins, and what it left out is
 * kept (a phone shared last week is still the user's phone when this webhook hides it, so sends keep `to`).
 */
export function learnIdentity(known: UserIdentity | null | undefined, seen: UserIdentity): UserIdentity {
  const defined = Object.fromEntries(Object.entries(seen).filter(([, value]) => value !== undefined));
  return { ...(known ?? {}), ...defined };
}

/**
 * The user after an identity change: the new BSUID (and parent); a new number replaces the phone (or drops
 * it when Meta does not share the new one), a new BSUID alone keeps it. Name and username stay.
 */
export function identityAfterChange(
  known: UserIdentity | null | undefined,
  change: IdentityChange,
): UserIdentity {
  const { wa_id: phone, user_id: _previous, parent_user_id: _parent, ...profile } = known ?? {};
  const waId = change.type === 'user_changed_number' ? change.waId : phone;
  return {
    ...profile,
    ...(waId ? { wa_id: waId } : {}),
    user_id: change.userId,
    ...(change.parentUserId ? { parent_user_id: change.parentUserId } : {}),
  };
}
