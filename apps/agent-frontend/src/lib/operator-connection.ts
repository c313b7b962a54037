import type { ServerFrame, SignedInOperator } from '@wa-broker/shared/operator-protocol';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { type ClientRequest, type ConnectionState, OperatorSocket } from './operator-socket.js';

type Listener<T> = (value: T) => void;

/**
 * The one operator socket of the page, shared by every screen: requests, pushed frames to whoever listens, and
 * "online" (after each welcome) so each screen resyncs what it shows. Listeners may subscribe before it connects.
 */
export class OperatorHub {
  private socket: OperatorSocket | null = null;
  private readonly frameListeners = new Set<Listener<ServerFrame>>();
  private readonly onlineListeners = new Set<() => void>();
  private readonly changeListeners = new Set<() => void>();
  private snapshot: HubSnapshot = { state: { kind: 'connecting', attempt: 1 }, agent: null, operator: null };

  constructor(
    private readonly url: string,
    private readonly createSocket?: (url: string) => WebSocket,
  ) {}

  start(): void {
    this.socket?.close();
    const socket = new OperatorSocket({
      url: this.url,
      ...(this.createSocket ? { createSocket: this.createSocket } : {}),
      onFrame: (frame) => {
        if (frame.type === 'welcome') this.update({ agent: frame.agent, operator: frame.operator ?? null });
        for (const listener of this.frameListeners) listener(frame);
      },
      onState: (state) => {
        this.update({ state });
        if (state.kind === 'online') for (const listener of this.onlineListeners) listener();
      },
    });
    this.socket = socket;
    socket.connect();
  }

  stop(): void {
    this.socket?.close();
    this.socket = null;
  }

  readonly request = (request: ClientRequest): Promise<ServerFrame> =>
    this.socket ? this.socket.request(request) : Promise.reject(new Error('Not connected to the server.'));

  readonly subscribe = (listener: Listener<ServerFrame>): (() => void) => {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  };

  /** Called on every (re)connection; at once when already online (a screen opened later loads now). */
  readonly onOnline = (listener: () => void): (() => void) => {
    this.onlineListeners.add(listener);
    if (this.snapshot.state.kind === 'online') listener();
    return () => this.onlineListeners.delete(listener);
  };

  readonly watch = (listener: () => void): (() => void) => {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  };

  readonly current = (): HubSnapshot => this.snapshot;

  private update(change: Partial<HubSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.changeListeners) listener();
  }
}

export interface HubSnapshot {
  state: ConnectionState;
  /** From the server's welcome. */
  agent: string | null;
  /** Who this socket is signed in as (null with the development token and no admin). */
  operator: SignedInOperator | null;
}

/** What screens get: the socket's state and who is signed in, plus requests and subscriptions. */
export interface OperatorConnection extends HubSnapshot {
  request: OperatorHub['request'];
  subscribe: OperatorHub['subscribe'];
  onOnline: OperatorHub['onOnline'];
}

/** Opens the page's socket to `url` for as long as the component is mounted. */
export function useOperatorConnection(url: string): OperatorConnection {
  const [hub] = useState(() => new OperatorHub(url));
  useEffect(() => {
    hub.start();
    return () => hub.stop();
  }, [hub]);
  const snapshot = useSyncExternalStore(hub.watch, hub.current);
  return { ...snapshot, request: hub.request, subscribe: hub.subscribe, onOnline: hub.onOnline };
}
