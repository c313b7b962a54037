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
 * Applies an event's plan. Every step is idempotent (insert-if-absent, forward-only status, `$max` times), so a
 * redelivered or concurrently processed event changes nothing twice. The conversation's summary (last message,
 * unseen count) follows the message just stored or the status just applied with key lookups only; whatever
 * else may have moved it (a redelivery, a move, a file's size, a status named by wamid alone) recomputes it
 * from the messages, which also repairs a summary an interrupted event left behind.
 */
export async function recordEvent(stores: InboxStores, event: EventPlan): Promise<void> {
  const plan = event.moved ? event : await underCurrentKey(stores, event);
  if (plan.moved) await moveConversation(stores, plan.moved.from, plan.moved.to);
  const inserted = plan.message ? await stores.messages.insert(plan.message) : false;
  if (plan.status) await applyStatus(stores, plan.status);
  if (plan.mediaStored) await stores.messages.setMediaStored(plan.mediaStored);
  const waId = plan.conversation.wa_id;
  if (!waId) return; // router errors about unreadable input may name no user
  await stores.conversations.touch(plan.conversation);
  const recompute =
    plan.moved || plan.mediaStored || (plan.message && !inserted) || (plan.status && !plan.status.message_id);
  if (recompute) return refreshSummary(stores, waId);
  if (plan.message) await followMessage(stores, plan.message);
  if (plan.status)
    await stores.conversations.summaryStatus(waId, plan.status, statusesBefore(plan.status.status));
}

/** A new message in the summary: the last one if it is the latest, one more unseen if it is the user's. */
function followMessage(stores: InboxStores, message: OperatorMessage): Promise<void> {
  return stores.conversations.advanceSummary(message.wa_id, message, message.direction === 'in' ? 1 : 0);
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
  const inserted = await stores.messages.insert(message);
  await stores.conversations.touch({
    wa_id: message.wa_id,
    window_expires_at: null,
    activity_at: message.timestamp,
  });
  // A resend (same idempotency key) stores nothing new: the summary is recomputed as it is.
  if (inserted) await followMessage(stores, message);
  else await refreshSummary(stores, message.wa_id);
}
