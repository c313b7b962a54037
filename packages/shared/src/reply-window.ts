import { metaLimits } from './meta-limits.js';

const hourMs = 3_600_000;

/**
 * How long before Meta's 24 h customer-service window closes we stop free-form replies: our clock and Meta's
 * may differ, and a reply queued behind others may reach Meta a little later (docs/whatsapp-cloud-api.md §6:
 * "leave a safety margin, e.g. treat the window as closed at 23h55m"). One value for the router, which refuses
 * with `window_closed`, the SDK, the agent backend and the operator UI, so none of them accepts a reply
 * another side refuses.
 */
export const replyMarginMs = 5 * 60_000;

type Expiry = Date | string | null | undefined;

const expiryMs = (expiresAt: Expiry): number =>
  expiresAt === null || expiresAt === undefined
    ? Number.NaN
    : typeof expiresAt === 'string'
      ? Date.parse(expiresAt)
      : expiresAt.getTime();

/**
 * Meta's rule: the window closes 24 h after the user's last message, by Meta's timestamp (not our processing
 * time: a redelivered webhook must not reopen an old window).
 */
export function windowExpiresAt(lastInboundAt: Date): Date {
  return new Date(lastInboundAt.getTime() + metaLimits.customerServiceWindowHours * hourMs);
}

/** Meta's own check, without our margin: what Meta (and the simulator standing in for it) accepts. */
export function isWindowOpenAtMeta(expiresAt: Expiry, now: Date): boolean {
  const expiry = expiryMs(expiresAt);
  return Number.isFinite(expiry) && now.getTime() < expiry;
}

/** The last moment a free-form reply is accepted anywhere in wa-broker; null when the user never wrote. */
export function replyDeadline(expiresAt: Expiry): Date | null {
  const expiry = expiryMs(expiresAt);
  return Number.isFinite(expiry) ? new Date(expiry - replyMarginMs) : null;
}

/** Whether a free-form reply (text, list, buttons, reaction) may be sent now; templates and read receipts always may. */
export function isWindowOpen(expiresAt: Expiry, now: Date): boolean {
  const deadline = replyDeadline(expiresAt);
  return deadline !== null && now.getTime() < deadline.getTime();
}

/** Only a newer message moves the window; Meta delivers concurrently, so an older one may arrive later. */
export function latestInbound(current: Date | null, incoming: Date): Date {
  return current && current.getTime() >= incoming.getTime() ? current : incoming;
}
