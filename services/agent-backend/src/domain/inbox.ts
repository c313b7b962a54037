import type { OperatorMessage } from '@wa-broker/shared/operator-protocol';
import { statusesBefore } from './delivery-status.js';
import type { EventPlan, StatusChange } from './events.js';
import type { ConversationStore, MessageStore, NoteStore } from './ports.js';

export interface InboxStores {
  messages: MessageStore;
  conversations: ConversationStore;
  /** Operators' notes move with the conversation when the user's key changes. */
  notes?: NoteStore;
}

/**
 * Applies an event's plan. Every step is idempotent (insert-if-absent, forward-only status, `$max` times, and a
 * summary recomputed from the messages), so a redelivered or concurrently processed event changes nothing twice.
 */
export async function recordEvent(stores: InboxStores, event: EventPlan): Promise<void> {
  const plan = event.moved ? event : await underCurrentKey(stores, event);
  if (plan.moved) await moveConversation(stores, plan.moved.from, plan.moved.to);
  if (plan.message) await stores.messages.insert(plan.message);
  if (plan.status) await applyStatus(stores, plan.status);
  if (plan.mediaStored) await stores.messages.setMediaStored(plan.mediaStored);
  if (!plan.conversation.wa_id) return; // router errors about unreadable input may name no user
  await stores.conversations.touch(plan.conversation);
  await refreshSummary(stores, plan.conversation.wa_id);
}

/**
 * An event about a key that moved since (the router published it before the user's identity changed; it was
 * read after the move, from another partition) joins the conversation where it lives now.
 */
async function underCurrentKey(stores: InboxStores, plan: EventPlan): Promise<EventPlan> {
  const key = plan.conversation.wa_id;
  if (!key) return plan;
  const current = await stores.conversations.currentKey(key);
  if (current === key) return plan;
  return {
    conversation: { ...plan.conversation, wa_id: current },
    ...(plan.message ? { message: { ...plan.message, wa_id: current } } : {}),
    ...(plan.status ? { status: { ...plan.status, wa_id: current } } : {}),
    ...(plan.mediaStored ? { mediaStored: { ...plan.mediaStored, wa_id: current } } : {}),
  };
}

/**
 * One user, one conversation: the history and the conversation kept under the old key join the new one. Safe
 * to repeat (a redelivery finds nothing left under `from`) and to interleave with events under `to`.
 */
async function moveConversation(stores: InboxStores, from: string, to: string): Promise<void> {
  if (from === to) return;
  await stores.messages.moveAll(from, to);
  await stores.notes?.moveAll(from, to);
  await stores.conversations.move(from, to);
}

export async function applyStatus(stores: InboxStores, change: StatusChange): Promise<boolean> {
  return stores.messages.applyStatus(change, statusesBefore(change.status));
}

export async function refreshSummary(stores: InboxStores, waId: string): Promise<void> {
  const [latest, unread] = await Promise.all([
    stores.messages.latest(waId),
    stores.messages.countUnseen(waId),
  ]);
  await stores.conversations.summarize(waId, latest, unread);
}

export async function markConversationRead(stores: InboxStores, waId: string): Promise<void> {
  await stores.messages.markSeen(waId);
  await refreshSummary(stores, waId);
}

/** Stores a prepared reply as `pending` before it is published, so its statuses always find it. */
export async function recordReply(stores: InboxStores, message: OperatorMessage): Promise<void> {
  await stores.messages.insert(message);
  await stores.conversations.touch({
    wa_id: message.wa_id,
    window_expires_at: null,
    activity_at: message.timestamp,
  });
  await refreshSummary(stores, message.wa_id);
}
