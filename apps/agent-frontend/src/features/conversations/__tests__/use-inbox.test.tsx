import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectedInbox } from './connected-inbox.js';
import { FakeBackendSocket } from './fake-backend-socket.js';

beforeEach(() => {
  FakeBackendSocket.instances = [];
  vi.stubGlobal('WebSocket', FakeBackendSocket);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const socket = (index: number) => FakeBackendSocket.instances[index] as FakeBackendSocket;

describe('Inbox over the socket', () => {
  it('loads the list on connect, says when the connection is lost, and resyncs after reconnecting', async () => {
    render(<ConnectedInbox token="t" />);
    expect(socket(0).url).toContain('/ws?token=t');
    act(() => socket(0).open());
    expect(await screen.findByText('Ana 1')).toBeTruthy();
    expect(screen.getByTestId('connection').textContent).toContain('Connected');

    act(() => screen.getByText('Ana 1').click());
    await vi.waitFor(() => expect(socket(0).requests.map((r) => r.type)).toContain('get_history'));

    act(() => socket(0).close());
    expect(screen.getByTestId('connection').textContent).toContain('Connection lost');
    await vi.waitFor(() => expect(FakeBackendSocket.instances).toHaveLength(2), { timeout: 3000 });
    act(() => socket(1).open());
    expect(await screen.findAllByText('Ana 2')).toBeTruthy();
    await vi.waitFor(() =>
      expect(socket(1).requests.map((r) => r.type)).toEqual(
        expect.arrayContaining(['list_conversations', 'get_history', 'mark_read']),
      ),
    );
  });
});
