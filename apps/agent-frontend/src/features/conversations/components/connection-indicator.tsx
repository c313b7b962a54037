import type { ConnectionState } from '../../../lib/operator-socket.js';

export function ConnectionIndicator({ state, now }: { state: ConnectionState; now: Date }) {
  const label =
    state.kind === 'online'
      ? 'Connected'
      : state.kind === 'connecting'
        ? 'Connecting…'
        : `${state.everConnected ? 'Connection lost' : 'Cannot reach the server'} · retrying in ${Math.max(
            0,
            Math.ceil((state.retryAt - now.getTime()) / 1000),
          )} s`;
  return (
    <output className={`connection connection-${state.kind}`} aria-live="polite" data-testid="connection">
      <span className="connection-dot" aria-hidden="true" />
      {label}
    </output>
  );
}
