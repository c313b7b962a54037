import type { OperatorMessageStatus } from '@wa-broker/shared/operator-protocol';

const progress: Record<Exclude<OperatorMessageStatus, 'failed'>, number> = {
  pending: 0,
  sent: 1,
  delivered: 2,
  read: 3,
};

/**
 * The statuses a reply may be in for `next` to replace it. Delivery only moves forward (a late `delivered` never
 * overwrites `read`; Meta may skip `delivered`); `failed` is final, and a message already read cannot fail.
 */
export function statusesBefore(next: OperatorMessageStatus): OperatorMessageStatus[] {
  if (next === 'failed') return ['pending', 'sent', 'delivered'];
  const rank = progress[next];
  return (Object.keys(progress) as (keyof typeof progress)[]).filter((status) => progress[status] < rank);
}

export function canAdvance(current: OperatorMessageStatus, next: OperatorMessageStatus): boolean {
  return statusesBefore(next).includes(current);
}
