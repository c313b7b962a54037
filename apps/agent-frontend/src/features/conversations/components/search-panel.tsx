import type { OperatorConversation } from '@wa-broker/shared/operator-protocol';
import { type FormEvent, useState } from 'react';
import type { Search } from '../hooks/use-search.js';
import { userLabel } from './format.js';

const matchedWords = { name: 'Name', phone: 'Phone', username: 'Username', message: 'Message' } as const;

export interface SearchPanelProps {
  search: Search;
  onOpen: (conversation: OperatorConversation) => void;
  selected: string | null;
}

/** A search box over every conversation (name, phone, username, message text); results with what matched. */
export function SearchBox({ search }: Pick<SearchPanelProps, 'search'>) {
  const [text, setText] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    search.run(text);
  };
  return (
    <form className="search-box" onSubmit={submit}>
      <input
        type="search"
        aria-label="Search conversations"
        placeholder="Search name, phone, username or message…"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          if (!event.target.value) search.clear();
        }}
      />
    </form>
  );
}

export function SearchResults({ search, onOpen, selected }: SearchPanelProps) {
  if (!search.query) return null;
  return (
    <div className="search-results" data-testid="search-results">
      <p className="search-summary muted">
        {search.busy && search.results.length === 0
          ? 'Searching…'
          : `${search.results.length}${search.nextCursor ? '+' : ''} found for “${search.query}”`}
        <button type="button" className="link" onClick={search.clear}>
          Clear
        </button>
      </p>
      {search.problem && (
        <p className="field-problem" role="alert">
          {search.problem}
        </p>
      )}
      <ul className="conversation-list" aria-label="Search results">
        {search.results.map((result) => (
          <li key={result.conversation.wa_id}>
            <button
              type="button"
              className={`conversation ${result.conversation.wa_id === selected ? 'is-selected' : ''}`}
              data-testid="search-result"
              data-wa-id={result.conversation.wa_id}
              onClick={() => onOpen(result.conversation)}
            >
              <span className="conversation-top">
                <span className="conversation-name">{userLabel(result.conversation)}</span>
                <span className="chip">{matchedWords[result.matched]}</span>
              </span>
              <span className="search-snippet" data-testid="search-snippet">
                {result.snippet}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {search.nextCursor && (
        <button type="button" className="link load-more" disabled={search.busy} onClick={search.more}>
          {search.busy ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}
