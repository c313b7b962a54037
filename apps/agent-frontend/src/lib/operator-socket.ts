import {
  type ClientFrame,
  operatorProtocolVersion,
  type ServerFrame,
  serverFrame,
} from '@wa-broker/shared/operator-protocol';

export type ConnectionState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'online' }
  | { kind: 'offline'; retryAt: number; everConnected: boolean };

type Distribute<F> = F extends ClientFrame ? Omit<F, 'v' | 'request_id'> : never;
export type ClientRequest = Distribute<ClientFrame>;

export interface OperatorSocketOptions {
  url: string;
  onFrame: (frame: ServerFrame) => void;
  onState: (state: ConnectionState) => void;
  createSocket?: (url: string) => WebSocket;
  requestTimeoutMs?: number;
}

/**
 * One reconnecting WebSocket to the backend. Requests carry a `request_id` and resolve with the answer (an
 * `error` frame included); they reject when the socket drops, so callers can say "not sent" and retry.
 */
export class OperatorSocket {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private everConnected = false;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private nextId = 1;
  private readonly pending = new Map<
    string,
    { resolve: (f: ServerFrame) => void; reject: (e: Error) => void }
  >();

  constructor(private readonly options: OperatorSocketOptions) {}

  connect(): void {
    this.closed = false;
    this.attempt += 1;
    this.options.onState({ kind: 'connecting', attempt: this.attempt });
    const socket = (this.options.createSocket ?? ((url) => new WebSocket(url)))(this.options.url);
    this.socket = socket;
    socket.onmessage = (event) => this.receive(String(event.data));
    socket.onclose = () => this.dropped(socket);
    socket.onerror = () => undefined; // a close event always follows
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.socket?.close();
    this.rejectPending('closed');
  }

  request(request: ClientRequest): Promise<ServerFrame> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN)
      return Promise.reject(new Error('Not connected to the server.'));
    const requestId = `r${this.nextId++}`;
    const frame = { ...request, v: operatorProtocolVersion, request_id: requestId };
    return new Promise((resolve, reject) => {
      const timeout = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error('The server did not answer in time.'));
      }, this.options.requestTimeoutMs ?? 15_000);
      this.pending.set(requestId, {
        resolve: (answer) => {
          clearTimeout(timeout);
          resolve(answer);
        },
        reject: (error) => {
          clearTimeout(timeout);
          reject(error);
        },
      });
      socket.send(JSON.stringify(frame));
    });
  }

  private receive(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return;
    }
    const parsed = serverFrame.safeParse(json);
    if (!parsed.success) return; // a newer server's frame we do not know yet
    const frame = parsed.data;
    if (frame.type === 'welcome') {
      this.attempt = 0;
      this.everConnected = true;
      this.options.onState({ kind: 'online' });
    }
    const waiting = frame.request_id ? this.pending.get(frame.request_id) : undefined;
    if (waiting && frame.request_id) {
      this.pending.delete(frame.request_id);
      waiting.resolve(frame);
      return;
    }
    this.options.onFrame(frame);
  }

  private dropped(socket: WebSocket): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.rejectPending('dropped');
    if (this.closed) return;
    // 0.5 s, 1 s, 2 s … up to 15 s, with jitter so a restarted backend is not hit by every tab at once.
    const delay = Math.min(15_000, 500 * 2 ** Math.min(this.attempt, 5)) * (0.8 + Math.random() * 0.4);
    this.options.onState({ kind: 'offline', retryAt: Date.now() + delay, everConnected: this.everConnected });
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private rejectPending(reason: string): void {
    for (const { reject } of this.pending.values())
      reject(new Error(`Connection ${reason} before the answer.`));
    this.pending.clear();
  }
}
