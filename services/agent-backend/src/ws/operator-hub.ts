import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { DomainError } from '@wa-broker/shared/errors';
import type { Logger } from '@wa-broker/shared/logger';
import { type ClientFrame, clientFrame, type ServerFrame } from '@wa-broker/shared/operator-protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import { isAllowedOrigin, isOperatorToken, tokenOf } from './auth.js';

export interface OperatorHubDeps {
  server: Server;
  path: string;
  tokens: readonly string[];
  allowedOrigins: readonly string[];
  agentName: string;
  logger: Logger;
  answer: (frame: ClientFrame) => Promise<ServerFrame>;
  metrics: { connections: (delta: number) => void; frame: (type: string) => void };
  heartbeatMs?: number;
}

export interface OperatorHub {
  broadcast(frame: ServerFrame): void;
  clientCount(): number;
  close(): Promise<void>;
}

/** The operators' WebSocket endpoint on the HTTP server's `upgrade`, with token auth and a typed protocol. */
export function attachOperatorHub(deps: OperatorHubDeps): OperatorHub {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
  const alive = new WeakMap<WebSocket, boolean>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== deps.path) return refuse(socket, 404, 'Not Found');
    if (!isOperatorToken(tokenOf(request), deps.tokens)) return refuse(socket, 401, 'Unauthorized');
    if (!isAllowedOrigin(request, deps.allowedOrigins)) return refuse(socket, 403, 'Forbidden');
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  deps.server.on('upgrade', onUpgrade);

  wss.on('connection', (ws: WebSocket) => {
    alive.set(ws, true);
    deps.metrics.connections(1);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('close', () => deps.metrics.connections(-1));
    ws.on('error', (error) => deps.logger.warn({ err: error }, 'operator socket error'));
    ws.on('message', (data, isBinary) => {
      void handle(ws, isBinary ? null : data.toString());
    });
    send(ws, { v: 1, type: 'welcome', agent: deps.agentName, server_time: new Date().toISOString() });
  });

  async function handle(ws: WebSocket, text: string | null) {
    let json: unknown;
    try {
      json = text === null ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = clientFrame.safeParse(json);
    const requestId = requestIdOf(json);
    if (!parsed.success) {
      deps.metrics.frame('invalid');
      const issues = parsed.error.issues.slice(0, 10).map((issue) => ({
        path: issue.path.join('.'),
        message: issue.message,
      }));
      const message =
        json === undefined ? 'Frames must be JSON text.' : 'The frame does not match protocol v1.';
      return send(ws, { v: 1, type: 'error', code: 'invalid_frame', message, issues, ...requestId });
    }
    deps.metrics.frame(parsed.data.type);
    try {
      send(ws, await deps.answer(parsed.data));
    } catch (error) {
      if (error instanceof DomainError) {
        const code = error.code as Extract<ServerFrame, { type: 'error' }>['code'];
        const issues = issuesOf(error);
        return send(ws, {
          v: 1,
          type: 'error',
          code,
          message: error.message,
          ...(issues ? { issues } : {}),
          ...requestId,
        });
      }
      deps.logger.error({ err: error, frame: parsed.data.type }, 'operator request failed');
      send(ws, {
        v: 1,
        type: 'error',
        code: 'internal',
        message: 'Something went wrong; try again.',
        ...requestId,
      });
    }
  }

  // Dead peers (a laptop closed mid-session) otherwise stay in the broadcast set until TCP gives up.
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, deps.heartbeatMs ?? 30_000);
  heartbeat.unref();

  return {
    broadcast(frame) {
      const text = JSON.stringify(frame);
      for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.send(text);
    },
    clientCount: () => wss.clients.size,
    async close() {
      clearInterval(heartbeat);
      deps.server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function send(ws: WebSocket, frame: ServerFrame): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
}

function requestIdOf(json: unknown): { request_id?: string } {
  if (json && typeof json === 'object' && 'request_id' in json && typeof json.request_id === 'string')
    return { request_id: json.request_id.slice(0, 100) };
  return {};
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** A domain refusal's problems by field (`details.issues`), when it names any. */
function issuesOf(error: DomainError): { path: string; message: string }[] | undefined {
  const issues = error.details?.issues;
  return Array.isArray(issues) ? (issues as { path: string; message: string }[]) : undefined;
}
