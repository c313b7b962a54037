import { metaLimits } from '@wa-broker/shared/meta-limits';

const hourMs = 3_600_000;

/**
 * The customer-service window closes 24 h after the user's last message, by Meta's timestamp (not our
 * processing time: a redelivered webhook must not reopen an old window).
 */
export function windowExpiresAt(lastInboundAt: Date): Date {
  return new Date(lastInboundAt.getTime() + metaLimits.customerServiceWindowHours * hourMs);
}

/** Open while `now` is before the expiry minus a safety margin for clock skew between us and Meta. */
export function isWindowOpen(lastInboundAt: Date | null, now: Date, marginMs = 0): boolean {
  if (!lastInboundAt) return false;
  return now.getTime() < windowExpiresAt(lastInboundAt).getTime() - marginMs;
}

/** Only a newer message moves the window; Meta delivers concurrently, so an older one may arrive later. */
export function latestInbound(current: Date | null, incoming: Date): Date {
  return current && current.getTime() >= incoming.getTime() ? current : incoming;
}
