import { isStatusForward } from '@wa-broker/shared/delivery-status';
import type { NotificationEvent, RecipientStatus } from '@wa-broker/shared/notifications';

export interface RecipientState {
  status: RecipientStatus;
  attempt: number;
}

/**
 * Whether an event from the router changes the recipient: same attempt, and a forward move. Meta's statuses
 * follow the shared rule (`isStatusForward`: never backwards, `read` may skip `delivered`, `failed` only before
 * delivery, nothing after it); `queued` and `cancelled` are ours and come before any of Meta's. A `cancelled`
 * recipient the router had already taken is shown as what really happened to it.
 */
export function shouldApply(
  current: RecipientState,
  event: Pick<NotificationEvent, 'status' | 'attempt'>,
): boolean {
  if (event.attempt !== current.attempt) return false;
  if (event.status === 'queued') return false;
  if (event.status === 'cancelled') return current.status === 'queued';
  const reported = current.status === 'queued' || current.status === 'cancelled' ? null : current.status;
  return isStatusForward(reported, event.status);
}

/** Only failed recipients are sent again: never one that was sent, delivered or read (no duplicates). */
export const isResendable = (status: RecipientStatus): boolean => status === 'failed';

/** Only what has not left for Meta can be cancelled. */
export const isCancellable = (status: RecipientStatus): boolean => status === 'queued';

export type NotificationState = 'scheduled' | 'sending' | 'completed' | 'cancelled';

export type StatusCounts = Record<RecipientStatus, number> & { total: number };

export function emptyCounts(): StatusCounts {
  return { queued: 0, cancelled: 0, sent: 0, delivered: 0, read: 0, failed: 0, total: 0 };
}

/** The counts of a set of recipients' statuses (one snapshot: counts read apart from the rows can disagree). */
export function countStatuses(statuses: readonly RecipientStatus[]): StatusCounts {
  const counts = emptyCounts();
  for (const status of statuses) counts[status] += 1;
  counts.total = statuses.length;
  return counts;
}

/** A notification's overall state from its counts: nothing left queued means it is done. */
export function notificationState(
  n: { sendAt: Date | null; cancelledAt: Date | null },
  counts: StatusCounts,
  now: Date,
): NotificationState {
  if (
    n.cancelledAt &&
    counts.queued === 0 &&
    counts.sent + counts.delivered + counts.read + counts.failed === 0
  )
    return 'cancelled';
  if (counts.queued > 0) return n.sendAt && n.sendAt > now ? 'scheduled' : 'sending';
  return 'completed';
}
