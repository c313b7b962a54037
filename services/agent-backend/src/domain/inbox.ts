import type { OperatorMessage } from '@wa-broker/shared/operator-protocol';
import { statusesBefore } from './delivery-status.js';
import type { EventPlan, StatusChange } from './events.js';
import type { ConversationStore, MessageStore } from './ports.js';

export interface InboxStores {
  messages: MessageStore;
  conversations: ConversationStore;
}

/**
 * Applies an event's plan. Every step is idempotent (insert-if-absent, forward-only status, `$max` times, and a
 * summary recomputed from the messages), so a redelivered or concurrently processed event changes nothing twice.
 */
export async function recordEvent(stores: InboxStores, plan: EventPlan): Promise<void> {
  if (plan.message) await stores.messages.insert(plan.message);
  if (plan.status) await applyStatus(stores, plan.status);
  if (!plan.conversation.wa_id) return; // router errors about unreadable input may name no user
  await stores.conversations.touch(plan.conversation);
  await refreshSummary(stores, plan.conversation.wa_id);
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
