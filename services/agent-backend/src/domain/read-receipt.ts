import type { MessageStore, OutboundPort } from './ports.js';

export type ReadReceiptResult = 'sent' | 'already_sent' | 'nothing_to_read' | 'failed';

/**
 * When an operator reads a conversation, tells WhatsApp (blue ticks for the user) by a `mark_as_read` for the
 * newest inbound message; WhatsApp marks the earlier ones read with it. Sent once per message: the claim on the
 * stored message is a conditional update, so repeated clicks and other instances find it taken. A publish that
 * fails gives the claim back (the next mark_read retries); the router sends a key at most once either way.
 */
export async function sendReadReceipt(
  deps: { messages: MessageStore; outbound: OutboundPort },
  waId: string,
  now: Date,
): Promise<ReadReceiptResult> {
  const newest = await deps.messages.latestInbound(waId);
  if (!newest?.wamid) return 'nothing_to_read';
  if (!(await deps.messages.claimReadReceipt(newest.id, now))) return 'already_sent';
  try {
    await deps.outbound.markAsRead(waId, newest.wamid);
    return 'sent';
  } catch {
    await deps.messages.releaseReadReceipt(newest.id);
    return 'failed';
  }
}
