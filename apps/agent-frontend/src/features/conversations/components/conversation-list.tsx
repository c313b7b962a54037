import type { OperatorConversation } from '@wa-broker/shared/operator-protocol';
import { shortTime, userLabel } from './format.js';

export interface ConversationListProps {
  conversations: OperatorConversation[];
  selected: string | null;
  onSelect: (waId: string) => void;
  now: Date;
}

export function ConversationList({ conversations, selected, onSelect, now }: ConversationListProps) {
  if (conversations.length === 0)
    return <p className="empty">No conversations yet. They appear here when a user picks this agent.</p>;
  return (
    <ul className="conversation-list" aria-label="Conversations">
      {conversations.map((conversation) => (
        <li key={conversation.wa_id}>
          <button
            type="button"
            className={`conversation ${conversation.wa_id === selected ? 'is-selected' : ''}`}
            onClick={() => onSelect(conversation.wa_id)}
            aria-current={conversation.wa_id === selected ? 'true' : undefined}
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
          </button>
        </li>
      ))}
    </ul>
  );
}
