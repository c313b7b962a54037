import type { DeliveryStatus } from './agent-inbound.js';

/**
 * A message's delivery only moves forward (docs/whatsapp-cloud-api.md §4, "Status semantics"):
 * `sent < delivered < read`, and `read` may come without `delivered` (Meta: "in these cases, the 'delivered'
 * webhook is not sent"). `failed` is terminal for the attempt and only ends a message that was never delivered:
 * Meta counts a message read "only if it has been delivered", and a message not delivered before its TTL is
 * the one that fails. So a `failed` after `delivered` or `read` is a stale or contradictory event and is
 * dropped, like a late `delivered` after `read`; nothing follows `failed`.
 *
 * Every side runs this one rule: the router (which statuses reach an agent), notify (a recipient's state), the
 * agent backend (a reply's ticks in MongoDB) and the operator UI (its local copy).
 */
const progress: Record<Exclude<DeliveryStatus, 'failed'>, number> = { sent: 1, delivered: 2, read: 3 };

/**
 * Whether `incoming` may replace `previous`; `null` means Meta has reported nothing yet (queued, pending),
 * from which any status may follow.
 */
export function isStatusForward(previous: DeliveryStatus | null, incoming: DeliveryStatus): boolean {
  if (previous === null) return true;
  if (previous === 'failed') return false;
  if (incoming === 'failed') return previous === 'sent';
  return progress[incoming] > progress[previous];
}

/**
 * The same rule for an operator's reply, which is `pending` until the router reports Meta's first status:
 * anything of Meta's follows `pending`, and nothing goes back to it.
 */
export function isReplyStatusForward(
  current: DeliveryStatus | 'pending',
  next: DeliveryStatus | 'pending',
): boolean {
  if (next === 'pending') return false;
  return isStatusForward(current === 'pending' ? null : current, next);
}
