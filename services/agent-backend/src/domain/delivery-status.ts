import { isReplyStatusForward } from '@wa-broker/shared/delivery-status';
import { type OperatorMessageStatus, operatorMessageStatuses } from '@wa-broker/shared/operator-protocol';

/**
 * The statuses a reply may be in for `next` to replace it, by the shared rule (`isReplyStatusForward`): the
 * stored status is replaced by a conditional update on this list, so concurrent events never move it back.
 */
export function statusesBefore(next: OperatorMessageStatus): OperatorMessageStatus[] {
  return operatorMessageStatuses.filter((status) => isReplyStatusForward(status, next));
}
