import { metaLimits } from '@wa-broker/shared/meta-limits';
import { isWindowOpen } from '@wa-broker/shared/reply-window';
import type { ConversationStore, MessageStore, OutboundPort, TypingThrottle } from './ports.js';

export type TypingResult = 'sent' | 'throttled' | 'window_closed' | 'no_inbound_message' | 'failed';

/** Meta shows the indicator for this long: sending it again sooner changes nothing for the user. */
export const typingEveryMs = metaLimits.typingIndicatorSeconds * 1000;

export interface TypingDeps {
  conversations: ConversationStore;
  messages: MessageStore;
  throttle: TypingThrottle;
  outbound: OutboundPort;
}

/**
 * An operator is typing: the user sees "typing…" (Meta's indicator on the read call for their latest message),
 * at most once per 25 s per conversation whichever operator or instance types (a conditional update claims the
 * slot), and only while a free-form reply could follow (the shared reply window).
 */
export async function sendTypingIndicator(deps: TypingDeps, waId: string, now: Date): Promise<TypingResult> {
  const conversation = await deps.conversations.get(waId);
  if (!conversation || !isWindowOpen(conversation.window_expires_at, now)) return 'window_closed';
  const newest = await deps.messages.latestInbound(waId);
  if (!newest?.wamid) return 'no_inbound_message';
  if (!(await deps.throttle.claim(waId, now, typingEveryMs))) return 'throttled';
  try {
    await deps.outbound.typing(waId, newest.wamid, now);
    return 'sent';
  } catch {
    await deps.throttle.release(waId, now);
    return 'failed';
  }
}
