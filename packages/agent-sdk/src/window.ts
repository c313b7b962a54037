import { isWindowOpen as isReplyWindowOpen } from '@wa-broker/shared/reply-window';

/**
 * Whether free-form messages (text, lists, buttons, reactions) may still be sent: the shared rule the router
 * applies (`@wa-broker/shared/reply-window`), Meta's 24 h after the user's last message less the router's
 * 5-minute safety margin. Outside it only templates (and read receipts) go through; the router answers anything
 * else with `window_closed` on `-error`. Takes an inbound message (its `windowExpiresAt`) or the expiry itself.
 */
export function isWindowOpen(
  windowExpiresAt: { windowExpiresAt: Date | null } | Date | string | null,
  now: Date = new Date(),
): boolean {
  const expiry =
    windowExpiresAt === null || windowExpiresAt instanceof Date || typeof windowExpiresAt === 'string'
      ? windowExpiresAt
      : windowExpiresAt.windowExpiresAt;
  return isReplyWindowOpen(expiry, now);
}
