import { randomUUID } from 'node:crypto';
import type { ServerFrame } from '@wa-broker/shared/operator-protocol';
import { WebSocket } from 'ws';

/**
 * An operator's inbox socket for benchmarks: every frame goes to `onFrame` the moment it is parsed (with the
 * receiving time), and requests are answered through a map by `request_id`, not by polling a list of frames
 * (operator-socket.ts's way, fine for a test, quadratic at hundreds of frames a second).
 */
export interface BenchOperatorSocket {
  /** Sends a request; resolves with its answer (or an `error` frame), rejects after `timeoutMs`. */
  request(frame: Record<string, unknown>, timeoutMs?: number): Promise<ServerFrame>;
  /** Sends a request and returns at once; the answer comes to `onAnswer`. `Date.now()` just before the send. */
  send(
    frame: Record<string, unknown>,
    onAnswer: (answer: ServerFrame | Error) => void,
    timeoutMs?: number,
  ): number;
  pending(): number;
  close(): Promise<void>;
}

export async function openBenchOperator(
  agentUrl: string,
  cookie: string,
  onFrame: (frame: ServerFrame, receivedAt: number) => void,
): Promise<BenchOperatorSocket> {
  const ws = new WebSocket(`${agentUrl.replace(/^http/, 'ws')}/ws`, { headers: { cookie } });
  const waiting = new Map<string, { done: (answer: ServerFrame | Error) => void; timer: NodeJS.Timeout }>();
  ws.on('message', (data) => {
    const receivedAt = Date.now();
    const frame = JSON.parse(data.toString()) as ServerFrame;
    const requestId = frame.request_id;
    const waiter = requestId === undefined ? undefined : waiting.get(requestId);
    if (waiter && requestId !== undefined) {
      waiting.delete(requestId);
      clearTimeout(waiter.timer);
      waiter.done(frame);
      return;
    }
    onFrame(frame, receivedAt);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const send = (
    frame: Record<string, unknown>,
    onAnswer: (answer: ServerFrame | Error) => void,
    timeoutMs = 60_000,
  ) => {
    const requestId = randomUUID();
    const timer = setTimeout(() => {
      waiting.delete(requestId);
      onAnswer(new Error(`no answer to ${String(frame.type)} within ${timeoutMs} ms`));
    }, timeoutMs);
    waiting.set(requestId, { done: onAnswer, timer });
    const sentAt = Date.now();
    ws.send(JSON.stringify({ v: 1, ...frame, request_id: requestId }));
    return sentAt;
  };
  return {
    send,
    request: (frame, timeoutMs) =>
      new Promise((resolve, reject) =>
        send(frame, (answer) => (answer instanceof Error ? reject(answer) : resolve(answer)), timeoutMs),
      ),
    pending: () => waiting.size,
    async close() {
      for (const waiter of waiting.values()) clearTimeout(waiter.timer);
      if (ws.readyState === ws.CLOSED) return;
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      });
    },
  };
}
