import { randomUUID } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import type { ClientFrame, ServerFrame } from '@wa-broker/shared/operator-protocol';
import { WebSocket } from 'ws';
import { operatorToken } from './harness.js';

export interface OperatorClient {
  frames: ServerFrame[];
  sendRaw(text: string): void;
  request(frame: ClientFrame): Promise<ServerFrame>;
  waitForFrame(predicate: (frame: ServerFrame) => boolean, timeoutMs?: number): Promise<ServerFrame>;
  close(): void;
  /** Resolves with the close code once the server or the client closed the socket. */
  closed: Promise<number>;
}

type ClientFrameInput = ClientFrame extends infer F ? (F extends ClientFrame ? Omit<F, 'v'> : never) : never;

/** With the development token (`?token=`), or signed in: `{ cookie }` from {@link signIn}. */
export async function connectOperator(
  baseUrl: string,
  auth: string | { cookie: string } = operatorToken,
): Promise<OperatorClient> {
  const ws =
    typeof auth === 'string'
      ? new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(auth)}`)
      : new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws`, { headers: { cookie: auth.cookie } });
  const frames: ServerFrame[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as ServerFrame));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waitForFrame = async (predicate: (frame: ServerFrame) => boolean, timeoutMs = 10_000) => {
    await eventually(() => frames.some(predicate), { timeoutMs });
    return frames.find(predicate) as ServerFrame;
  };
  return {
    frames,
    sendRaw: (text) => ws.send(text),
    async request(frame) {
      const requestId = randomUUID();
      ws.send(JSON.stringify({ ...frame, request_id: requestId }));
      return waitForFrame((answer) => answer.request_id === requestId);
    },
    waitForFrame,
    close: () => ws.close(),
    closed: new Promise<number>((resolve) => ws.once('close', (code) => resolve(code))),
  };
}

/** Signs in over HTTP; the session cookie as a `Cookie` header value. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<{ cookie: string }> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in answered ${response.status}`);
  const setCookie = response.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0] ?? '' };
}

export function frame<F extends ClientFrameInput>(input: F): ClientFrame {
  return { v: 1, ...input } as ClientFrame;
}
