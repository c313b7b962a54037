import type { CannedReply } from '@wa-broker/shared/operator-protocol';
import { useCallback, useMemo, useState } from 'react';
import { ErrorBoundary } from '../../../components/ui/error-boundary.js';
import { uploadMedia } from '../../../lib/media-upload.js';
import type { OperatorConnection } from '../../../lib/operator-connection.js';
import { type ConversationFilter, defaultFilter, matchesFilter } from '../hooks/conversation-filter.js';
import { sortedConversations } from '../hooks/inbox-state.js';
import { useInbox } from '../hooks/use-inbox.js';
import { useNotes } from '../hooks/use-notes.js';
import { useNow } from '../hooks/use-now.js';
import { useSearch } from '../hooks/use-search.js';
import { typingIn, useTeam } from '../hooks/use-team.js';
import { AssignmentBar } from './assignment-bar.js';
import { ChatPane } from './chat-pane.js';
import { ConnectionIndicator } from './connection-indicator.js';
import { ConversationFilters } from './conversation-filters.js';
import { ConversationList } from './conversation-list.js';
import { NotesPanel } from './notes-panel.js';
import { SearchBox, SearchResults } from './search-panel.js';
import { TeamPresence } from './team-presence.js';

export interface InboxProps {
  connection: OperatorConnection;
  /** The development token, for uploads; a signed-in operator's session cookie goes along by itself. */
  token?: string | null;
  cannedReplies?: readonly CannedReply[];
}

const emptyText = {
  queue: 'Nobody is waiting in the queue.',
  mine: 'No conversations are assigned to you.',
  all: 'No conversations yet. They appear here when a user picks this agent.',
};

export function Inbox({ connection, token = null, cannedReplies = [] }: InboxProps) {
  const inbox = useInbox(connection);
  const team = useTeam(connection);
  const search = useSearch(connection);
  const now = useNow(1000);
  const [filter, setFilter] = useState<ConversationFilter>(defaultFilter);
  const { state } = inbox;
  const me = connection.operator?.id ?? null;
  const selected = state.selected ? state.conversations[state.selected] : undefined;
  const notes = useNotes(connection, selected?.wa_id ?? null);
  const all = useMemo(() => sortedConversations(state), [state]);
  const shown = all.filter((conversation) => matchesFilter(conversation, filter, me));
  const queued = all.filter((conversation) =>
    matchesFilter(conversation, { assignee: 'queue', status: 'open' }, me),
  );
  const { request } = connection;
  const selectedId = selected?.wa_id;
  const sendTyping = useCallback(() => {
    if (selectedId) void request({ type: 'typing', wa_id: selectedId }).catch(() => undefined);
  }, [request, selectedId]);
  const typingNames = selected
    ? typingIn(team, selected.wa_id, now.getTime()).map((id) => team.nameOf(id) ?? 'A colleague')
    : [];
  return (
    <div className={`inbox ${selected ? 'has-selection' : ''}`}>
      <aside className="sidebar">
        <header className="sidebar-header">
          <h1>{connection.agent ?? 'Inbox'}</h1>
          <ConnectionIndicator state={connection.state} now={now} />
          <TeamPresence operators={team.operators} me={me} />
        </header>
        <SearchBox search={search} />
        <ErrorBoundary area="conversation list">
          {search.query ? (
            <SearchResults search={search} onOpen={inbox.open} selected={state.selected} />
          ) : (
            <>
              <ConversationFilters filter={filter} onChange={setFilter} queued={queued.length} />
              <ConversationList
                conversations={shown}
                selected={state.selected}
                onSelect={inbox.select}
                now={now}
                me={me}
                nameOf={team.nameOf}
                emptyText={
                  filter.status === 'resolved' ? 'No resolved conversations.' : emptyText[filter.assignee]
                }
              />
            </>
          )}
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
              onUpload={(upload) =>
                uploadMedia({
                  ...upload,
                  token,
                  ...(selected.phone_number_id ? { phoneNumberId: selected.phone_number_id } : {}),
                })
              }
              assignment={
                <AssignmentBar
                  key={selected.wa_id}
                  conversation={selected}
                  me={connection.operator}
                  operators={team.operators}
                  nameOf={team.nameOf}
                  onAct={(action) => inbox.act(selected.wa_id, action)}
                />
              }
              typingNames={typingNames}
              notes={<NotesPanel notes={notes.notes} now={now} onAdd={notes.add} />}
              cannedReplies={cannedReplies}
              onTyping={sendTyping}
            />
          ) : (
            <p className="empty">Choose a conversation.</p>
          )}
        </ErrorBoundary>
      </main>
    </div>
  );
}
