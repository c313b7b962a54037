import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Inbox } from '../components/inbox.js';
import { conversation } from './fixtures.js';

/** A stand-in browser WebSocket that answers requests the way the backend does. */
class FakeBackendSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  static instances: FakeBackendSocket[] = [];
  readyState = FakeBackendSocket.CONNECTING;
  requests: { type: string; request_id: string }[] = [];
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeBackendSocket.instances.push(this);
  }
  send(text: string) {
    const frame = JSON.parse(text);
    this.requests.push(frame);
    const answer =
      frame.type === 'list_conversations'
        ? {
            type: 'conversations',
            conversations: [conversation({ name: `Ana ${FakeBackendSocket.instances.length}` })],
            next_before: null,
          }
        : frame.type === 'get_history'
          ? { type: 'history', wa_id: frame.wa_id, messages: [], next_before: null }
          : { type: 'read_marked', wa_id: frame.wa_id };
    queueMicrotask(() => this.push({ ...answer, request_id: frame.request_id }));
  }
  close() {
    this.readyState = FakeBackendSocket.CLOSED;
    this.onclose?.();
  }
  open() {
    this.readyState = FakeBackendSocket.OPEN;
    this.push({ type: 'welcome', agent: 'Agent A', server_time: new Date().toISOString() });
  }
  push(frame: object) {
    this.onmessage?.({ data: JSON.stringify({ v: 1, ...frame }) });
  }
}

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
    render(<Inbox token="t" onSignOut={() => undefined} />);
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
