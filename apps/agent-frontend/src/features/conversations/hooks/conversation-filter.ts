import type { ConversationStatus, OperatorConversation } from '@wa-broker/shared/operator-protocol';

/** Which conversations the list shows: the queue (unassigned), the operator's own, or everyone's. */
export type AssigneeFilter = 'queue' | 'mine' | 'all';

export interface ConversationFilter {
  assignee: AssigneeFilter;
  /** Open by default: resolved conversations leave the list until shown on purpose. */
  status: ConversationStatus;
}

export const defaultFilter: ConversationFilter = { assignee: 'all', status: 'open' };

/** Whether a conversation belongs in the list under `filter`, for the operator `me` (null: no account). */
export function matchesFilter(
  conversation: OperatorConversation,
  filter: ConversationFilter,
  me: string | null,
): boolean {
  if (conversation.status !== filter.status) return false;
  if (filter.assignee === 'queue') return conversation.assignee === null;
  if (filter.assignee === 'mine') return me !== null && conversation.assignee === me;
  return true;
}
