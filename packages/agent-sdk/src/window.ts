/**
 * Whether free-form messages (text, lists, buttons) may still be sent: Meta allows them for 24 h after the
 * user's last message. Outside the window only templates (and read receipts) go through; the router answers
 * anything else with `window_closed` on `-error`. `marginMs` keeps a safety margin before the end.
 */
export function isWindowOpen(
  windowExpiresAt: { windowExpiresAt: Date | null } | Date | string | null,
  now: Date = new Date(),
  marginMs = 0,
): boolean {
  const expiry =
    windowExpiresAt === null || windowExpiresAt instanceof Date || typeof windowExpiresAt === 'string'
      ? windowExpiresAt
      : windowExpiresAt.windowExpiresAt;
  if (expiry === null) return false;
  const expiresAt = typeof expiry === 'string' ? Date.parse(expiry) : expiry.getTime();
  return Number.isFinite(expiresAt) && now.getTime() + marginMs < expiresAt;
}
