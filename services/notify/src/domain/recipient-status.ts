import type { NotificationEvent, RecipientStatus } from '@wa-broker/shared/notifications';

export interface RecipientState {
  status: RecipientStatus;
  attempt: number;
}

/**
 * Which statuses may follow which. Statuses never move backwards (a late `delivered` after `read` is dropped,
 * Meta §4), `read` may come without `delivered`, `failed` ends an attempt (a resend starts the next one), and a
 * `cancelled` recipient the router had already taken is shown as what really happened to it.
 */
const next: Record<RecipientStatus, readonly RecipientStatus[]> = {
  queued: ['cancelled', 'sent', 'delivered', 'read', 'failed'],
  cancelled: ['sent', 'delivered', 'read', 'failed'],
  sent: ['delivered', 'read', 'failed'],
  delivered: ['read'],
  read: [],
  failed: [],
};

/** Whether an event from the router changes the recipient: same attempt, and a forward move. */
export function shouldApply(
  current: RecipientState,
  event: Pick<NotificationEvent, 'status' | 'attempt'>,
): boolean {
  if (event.attempt !== current.attempt) return false;
  return next[current.status].includes(event.status);
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
