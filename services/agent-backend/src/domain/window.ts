/** Free-form replies are allowed while the user's 24 h customer-service window is open. */
export function isWindowOpen(windowExpiresAt: string | null, now: Date): boolean {
  if (!windowExpiresAt) return false;
  const expires = Date.parse(windowExpiresAt);
  return Number.isFinite(expires) && expires > now.getTime();
}
