import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ConnectionState, OperatorSocket } from '../operator-socket.js';

/** Just enough of a browser WebSocket to drive the client by hand. */
class FakeSocket {
  static instances: FakeSocket[] = [];
  readyState: number = WebSocket.CONNECTING;
  sent: string[] = [];
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(text: string) {
    this.sent.push(text);
  }
  close() {
    this.readyState = WebSocket.CLOSED;
    this.onclose?.();
  }
  open() {
    this.readyState = WebSocket.OPEN;
    this.receive({ v: 1, type: 'welcome', agent: 'Agent A', server_time: new Date().toISOString() });
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

beforeEach(() => {
  FakeSocket.instances = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

function connect() {
  const states: ConnectionState[] = [];
  const pushed: unknown[] = [];
  const socket = new OperatorSocket({
    url: 'ws://backend/ws?token=t',
    createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
    onState: (state) => states.push(state),
    onFrame: (frame) => pushed.push(frame),
  });
  socket.connect();
  return { socket, states, pushed };
}

describe('OperatorSocket', () => {
  it('answers a request with the frame that echoes its request_id, and passes pushes on', async () => {
    const { socket, states, pushed } = connect();
    const fake = FakeSocket.instances[0] as FakeSocket;
    fake.open();
    expect(states.at(-1)).toEqual({ kind: 'online' });
    const answer = socket.request({ type: 'ping' });
    const sent = JSON.parse(fake.sent[0] as string);
    expect(sent).toMatchObject({ v: 1, type: 'ping' });
    fake.receive({ v: 1, type: 'pong', request_id: sent.request_id });
    await expect(answer).resolves.toMatchObject({ type: 'pong' });
    fake.receive({ v: 1, type: 'read_marked', wa_id: '55' });
    expect(pushed.at(-1)).toMatchObject({ type: 'read_marked' });
  });

  it('fails pending requests when the connection drops, then reconnects by itself', async () => {
    const { socket, states } = connect();
    const first = FakeSocket.instances[0] as FakeSocket;
    first.open();
    const answer = socket.request({ type: 'list_conversations' });
    first.close();
    await expect(answer).rejects.toThrow(/dropped/);
    expect(states.at(-1)).toMatchObject({ kind: 'offline', everConnected: true });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(FakeSocket.instances).toHaveLength(2);
    (FakeSocket.instances[1] as FakeSocket).open();
    expect(states.at(-1)).toEqual({ kind: 'online' });
    socket.close();
  });

  it('refuses to send while offline instead of queueing silently', async () => {
    const { socket } = connect();
    await expect(socket.request({ type: 'ping' })).rejects.toThrow(/Not connected/);
  });
});
