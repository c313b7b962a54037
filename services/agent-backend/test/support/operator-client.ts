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
}

type ClientFrameInput = ClientFrame extends infer F ? (F extends ClientFrame ? Omit<F, 'v'> : never) : never;

export async function connectOperator(baseUrl: string, token = operatorToken): Promise<OperatorClient> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`);
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
  };
}

export function frame<F extends ClientFrameInput>(input: F): ClientFrame {
  return { v: 1, ...input } as ClientFrame;
}
