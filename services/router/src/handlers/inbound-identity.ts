import type { UserIdentity } from '@wa-broker/shared/agent-inbound';
import { windowExpiresAt } from '@wa-broker/shared/reply-window';
import {
  conversationKey,
  type IdentityChange,
  identityChangeOf,
  userKeyOf,
} from '@wa-broker/shared/user-identity';
import type { WebhookEvent } from '@wa-broker/shared/webhook-events';
import { toIdentityChangedEvent } from '../domain/agent-events.js';
import { identityAfterChange } from '../domain/identity.js';
import type { UserState } from '../domain/ports.js';
import type { Batch } from './inbound-routing.js';

/** Whom an event is about: their key, the business number, and the conversation key of the two. */
export interface UserRef {
  userKey: string;
  phoneNumberId: string;
  /** The number as Meta shows it, when the webhook's metadata named it. */
  displayPhoneNumber?: string;
  conversation: string;
}

const empty = (): UserState => ({ session: null, window: null });
const hasState = (state: UserState | undefined): state is UserState => !!(state?.session || state?.window);

/**
 * The user of an event (shared/user-identity.ts): the BSUID when it came, else the phone; either followed to
 * where it leads now (`resolved`: a phone to the BSUID it was seen with, a BSUID replaced by an identity change
 * to the new one, so a late redelivery from before the change continues the same conversation). Null when the
 * event names nobody.
 */
export function userRefOf(
  event: WebhookEvent,
  resolved: ReadonlyMap<string, string>,
  defaultPhoneNumberId: string,
): UserRef | null {
  const named = userKeyOf(event.user);
  if (!named) return null;
  const userKey = isIdentityChange(event) ? named : (resolved.get(named) ?? named);
  const phoneNumberId = event.phone_number_id ?? defaultPhoneNumberId;
  const display = event.metadata?.display_phone_number;
  return {
    userKey,
    phoneNumberId,
    conversation: conversationKey(phoneNumberId, userKey),
    ...(typeof display === 'string' && display ? { displayPhoneNumber: display } : {}),
  };
}

/** The ids the events name, looked up once per batch (`resolved`). */
export function namedUserKeys(events: readonly WebhookEvent[]): string[] {
  return [...new Set(events.flatMap((e) => (e.kind === 'error' ? [] : [userKeyOf(e.user) ?? []].flat())))];
}

const isIdentityChange = (event: WebhookEvent) =>
  event.kind === 'message' && identityChangeOf(event.item) !== undefined;

/**
 * Every conversation an event may read: its own; for a message with both ids, the one its phone had (state
 * kept by phone before the BSUID was known, or by a release before BSUIDs); for an identity change, the ones
 * of the key it replaces.
 */
export function conversationsToRead(event: WebhookEvent, ref: UserRef): string[] {
  const keys = [ref.conversation];
  if (event.kind !== 'message') return keys;
  const change = identityChangeOf(event.item);
  if (change) {
    keys.push(conversationKey(ref.phoneNumberId, change.previousUserId));
    const from = typeof event.item.from === 'string' ? event.item.from : undefined;
    if (from) keys.push(conversationKey(ref.phoneNumberId, from));
  } else if (event.user?.wa_id && event.user.user_id)
    keys.push(conversationKey(ref.phoneNumberId, event.user.wa_id));
  return keys;
}

/**
 * A message that names both the BSUID and the phone: the link is remembered (sends and events that name only
 * the phone find the user), and state kept under the phone moves to the BSUID, the agent that owns the
 * conversation being told before the message. Returns the conversation's state.
 */
export function adoptPhoneKeyed(event: WebhookEvent, ref: UserRef, batch: Batch, emit: boolean): UserState {
  const current = batch.users.get(ref.conversation);
  const waId = event.user?.wa_id;
  if (!waId || !event.user?.user_id || waId === ref.userKey) return current ?? empty();
  const known = current?.window?.user;
  if (known?.wa_id !== waId || known.user_id !== ref.userKey)
    batch.identities.phoneLinks.set(waId, ref.userKey);
  const phoneKeyed = conversationKey(ref.phoneNumberId, waId);
  const previous = batch.users.get(phoneKeyed);
  if (hasState(current) || !hasState(previous)) return current ?? empty();
  moveConversation(batch, phoneKeyed, ref.conversation, previous);
  if (emit)
    tellOwner(batch, ref, previous, { reason: 'user_id_learnt', previousKey: waId }, eventCause(event));
  return previous;
}

/**
 * Meta's `user_changed_number` / `user_changed_user_id` system message (meta-2026-changes.md §1.2): the session,
 * the window and the agent's ownership move from the previous key to the new one, the old key keeps leading to
 * the new one (an agent answering it still reaches the user), and the owning agent is told. Never routed as a
 * message from the user. Returns false when the event is not an identity change.
 */
export function applyIdentityChange(event: WebhookEvent, ref: UserRef, batch: Batch, emit: boolean): boolean {
  if (event.kind !== 'message') return false;
  const change = identityChangeOf(event.item);
  if (!change) return false;
  const { deps } = batch;
  deps.metrics.routed.inc({ type: 'identity_change' });
  batch.identities.movedKeys.set(change.previousUserId, change.userId);
  if (change.waId) batch.identities.phoneLinks.set(change.waId, change.userId);
  const from = typeof event.item.from === 'string' ? event.item.from : undefined;
  const sources = [change.previousUserId, ...(from ? [from] : [])]
    .map((key) => ({ key, conversation: conversationKey(ref.phoneNumberId, key) }))
    .filter(({ conversation }) => conversation !== ref.conversation);
  const source = sources.find(({ conversation }) => hasState(batch.users.get(conversation)));
  if (!source || hasState(batch.users.get(ref.conversation))) return true;
  const before = batch.users.get(source.conversation) as UserState;
  const user = identityAfterChange(before.window?.user, change);
  const moved: UserState = {
    session: before.session,
    window: before.window ? { ...before.window, user } : null,
  };
  moveConversation(batch, source.conversation, ref.conversation, moved);
  if (emit) tellOwner(batch, ref, moved, { reason: change.type, previousKey: source.key }, eventCause(event));
  return true;
}

function moveConversation(batch: Batch, from: string, to: string, state: UserState): void {
  batch.users.set(from, empty());
  batch.changed.delete(from);
  batch.identities.removedConversations.push(from);
  batch.users.set(to, state);
  batch.changed.set(to, state);
}

function tellOwner(
  batch: Batch,
  ref: UserRef,
  state: UserState,
  identity: { reason: IdentityChange['type'] | 'user_id_learnt'; previousKey: string },
  causeId: string,
): void {
  const session = state.session;
  if (session?.state !== 'agent') return;
  const agent = batch.deps.agents().find((a) => a.id === session.agentId);
  if (!agent) return;
  const user: UserIdentity = state.window?.user ?? { user_id: ref.userKey };
  const value = toIdentityChangedEvent(agent, identity, {
    userKey: ref.userKey,
    phoneNumberId: ref.phoneNumberId,
    ...displayOf(ref),
    user,
    windowExpiresAt: state.window ? windowExpiresAt(state.window.lastInboundAt) : null,
    now: batch.deps.now(),
    causeId,
  });
  batch.records.push({ topic: agent.topics.in, key: ref.userKey, value });
}

const eventCause = (event: WebhookEvent): string =>
  (event.kind === 'message' ? event.item.id : undefined) ??
  `${event.trace_id}:${userKeyOf(event.user) ?? ''}`;

/** The number's display form for agent events (EventContext), when known. */
export const displayOf = (ref: Pick<UserRef, 'displayPhoneNumber'> | null | undefined) =>
  ref?.displayPhoneNumber ? { displayPhoneNumber: ref.displayPhoneNumber } : {};
