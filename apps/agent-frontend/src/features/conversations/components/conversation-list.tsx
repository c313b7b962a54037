import type { OperatorConversation } from '@wa-broker/shared/operator-protocol';
import { shortTime, userLabel } from './format.js';

export interface ConversationListProps {
  conversations: OperatorConversation[];
  selected: string | null;
  onSelect: (waId: string) => void;
  now: Date;
  /** The signed-in operator's id, and how to name a colleague by id: each row says who answers it. */
  me?: string | null;
  nameOf?: (operatorId: string | null) => string | null;
  /** Shown when the filter leaves nothing. */
  emptyText?: string;
}

/** "Unassigned", "You" or the colleague's name. */
export function assigneeLabel(
  assignee: string | null,
  me: string | null | undefined,
  nameOf?: (operatorId: string | null) => string | null,
): string {
  if (assignee === null) return 'Unassigned';
  if (assignee === me) return 'You';
  return nameOf?.(assignee) ?? 'a colleague';
}

export function ConversationList({
  conversations,
  selected,
  onSelect,
  now,
  me,
  nameOf,
  emptyText = 'No conversations yet. They appear here when a user picks this agent.',
}: ConversationListProps) {
  if (conversations.length === 0) return <p className="empty">{emptyText}</p>;
  return (
    <ul className="conversation-list" aria-label="Conversations">
      {conversations.map((conversation) => (
        <li key={conversation.wa_id}>
          <button
            type="button"
            className={`conversation ${conversation.wa_id === selected ? 'is-selected' : ''}`}
            onClick={() => onSelect(conversation.wa_id)}
            aria-current={conversation.wa_id === selected ? 'true' : undefined}
            data-testid="conversation-row"
            data-wa-id={conversation.wa_id}
            data-assignee={conversation.assignee ?? ''}
            data-status={conversation.status}
          >
            <span className="conversation-top">
              <span className="conversation-name">{userLabel(conversation)}</span>
              <time className="conversation-time">{shortTime(conversation.last_activity_at, now)}</time>
            </span>
            <span className="conversation-bottom">
              <span className="conversation-preview">{conversation.last_message?.text ?? ''}</span>
              {conversation.unread_count > 0 && (
                <span className="badge">
                  {conversation.unread_count}
                  <span className="sr-only"> unread</span>
                </span>
              )}
            </span>
            <span className="conversation-assignee" data-testid="row-assignee">
              {assigneeLabel(conversation.assignee, me, nameOf)}
              {conversation.status === 'resolved' && <span className="chip status-resolved">Resolved</span>}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
