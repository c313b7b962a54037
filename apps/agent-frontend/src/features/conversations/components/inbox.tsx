import { ErrorBoundary } from '../../../components/ui/error-boundary.js';
import { uploadMedia } from '../../../lib/media-upload.js';
import { sortedConversations } from '../hooks/inbox-state.js';
import { useInbox } from '../hooks/use-inbox.js';
import { useNow } from '../hooks/use-now.js';
import { ChatPane } from './chat-pane.js';
import { ConnectionIndicator } from './connection-indicator.js';
import { ConversationList } from './conversation-list.js';

export function Inbox({ token, onSignOut }: { token: string; onSignOut: () => void }) {
  const inbox = useInbox(token);
  const now = useNow(1000);
  const { state } = inbox;
  const selected = state.selected ? state.conversations[state.selected] : undefined;
  return (
    <div className={`inbox ${selected ? 'has-selection' : ''}`}>
      <aside className="sidebar">
        <header className="sidebar-header">
          <h1>{inbox.agent ?? 'Inbox'}</h1>
          <ConnectionIndicator state={inbox.connection} now={now} />
          <button type="button" className="link" onClick={onSignOut}>
            Sign out
          </button>
        </header>
        <ErrorBoundary area="conversation list">
          <ConversationList
            conversations={sortedConversations(state)}
            selected={state.selected}
            onSelect={inbox.select}
            now={now}
          />
        </ErrorBoundary>
      </aside>
      <main className="main">
        <ErrorBoundary area="chat">
          {selected ? (
            <ChatPane
              conversation={selected}
              messages={state.messages[selected.wa_id] ?? []}
              hasOlder={Boolean(state.olderCursor[selected.wa_id])}
              now={now}
              onBack={() => inbox.select(null)}
              onLoadOlder={() => inbox.loadOlder(selected.wa_id)}
              onSend={(reply) => inbox.send(selected.wa_id, reply)}
              templates={inbox.templates[selected.wa_id]?.templates}
              onLoadTemplates={inbox.loadTemplates}
              onUpload={(request) =>
                uploadMedia({
                  ...request,
                  token,
                  ...(selected.phone_number_id ? { phoneNumberId: selected.phone_number_id } : {}),
                })
              }
            />
          ) : (
            <p className="empty">Choose a conversation.</p>
          )}
        </ErrorBoundary>
      </main>
    </div>
  );
}
