import type { ServerFrameOf } from '@wa-broker/shared/operator-protocol';
import { useEffect, useState } from 'react';
import { ErrorBoundary } from '../components/ui/error-boundary.js';
import { socketUrl } from '../config/env.js';
import { useCannedReplies } from '../features/canned-replies/api/canned-replies.js';
import { CannedRepliesManager } from '../features/canned-replies/components/canned-replies-manager.js';
import { Inbox } from '../features/conversations/components/inbox.js';
import { OperatorsAdmin } from '../features/operators/components/operators-admin.js';
import { useOperatorConnection } from '../lib/operator-connection.js';

type View = 'inbox' | 'canned' | 'operators';

const endedWords: Record<ServerFrameOf<'signed_out'>['reason'], string> = {
  signed_out: 'You signed out (perhaps in another tab).',
  expired: 'Your session has expired: sign in again.',
  disabled: 'Your account was disabled by an admin.',
};

export interface ShellProps {
  /** The development token, when the inbox was opened with one (else the session cookie). */
  token: string | null;
  onSignOut: () => void;
  /** The server closed the session (`signed_out`). */
  onEnded: (notice: string) => void;
  /** The socket dropped: the session may have ended (asked of `/api/auth/me`). */
  onConnectionTrouble?: (() => void) | undefined;
}

/** One socket for the page; the inbox, canned replies and (admins) operators as views of it. */
export function Shell({ token, onSignOut, onEnded, onConnectionTrouble }: ShellProps) {
  const connection = useOperatorConnection(socketUrl(window.location, token));
  const canned = useCannedReplies(connection);
  const [view, setView] = useState<View>('inbox');
  const { subscribe, operator, state } = connection;
  const isAdmin = operator?.role === 'admin';

  useEffect(
    () =>
      subscribe((frame) => {
        if (frame.type === 'signed_out') onEnded(endedWords[frame.reason]);
      }),
    [subscribe, onEnded],
  );
  const dropped = state.kind === 'offline';
  useEffect(() => {
    if (dropped) onConnectionTrouble?.();
  }, [dropped, onConnectionTrouble]);

  const views: { value: View; label: string }[] = [
    { value: 'inbox', label: 'Inbox' },
    { value: 'canned', label: 'Canned replies' },
    ...(isAdmin ? [{ value: 'operators' as const, label: 'Operators' }] : []),
  ];
  return (
    <div className="app">
      <nav className="topbar" aria-label="Main">
        <span className="topbar-views">
          {views.map(({ value, label }) => (
            <button
              key={value}
              type="button"
              className={`topbar-view ${view === value ? 'is-current' : ''}`}
              aria-current={view === value ? 'page' : undefined}
              onClick={() => setView(value)}
            >
              {label}
            </button>
          ))}
        </span>
        <span className="topbar-me" data-testid="signed-in-as">
          {operator ? `${operator.name} · ${operator.role}` : token ? 'Development token' : ''}
        </span>
        <button type="button" className="link" onClick={onSignOut}>
          Sign out
        </button>
      </nav>
      <div className="view">
        {view === 'inbox' && (
          <Inbox connection={connection} token={token} cannedReplies={canned.replies ?? []} />
        )}
        {view === 'canned' && (
          <ErrorBoundary area="canned replies">
            <CannedRepliesManager canned={canned} />
          </ErrorBoundary>
        )}
        {view === 'operators' && isAdmin && (
          <ErrorBoundary area="operators">
            <OperatorsAdmin token={token} me={operator?.id ?? null} />
          </ErrorBoundary>
        )}
      </div>
    </div>
  );
}
