import type { DeliveryStatus } from '@wa-broker/shared/agent-inbound';

/** sent < delivered < read; failed ends the attempt. `read` may come without `delivered` (Meta §4). */
const rank: Record<DeliveryStatus, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

export function statusRank(status: DeliveryStatus): number {
  return rank[status];
}

/** Statuses never move backwards: a late `delivered` after `read` is dropped, and nothing follows `failed`. */
export function isStatusForward(previous: DeliveryStatus | null, incoming: DeliveryStatus): boolean {
  if (!previous) return true;
  return rank[incoming] > rank[previous];
}
