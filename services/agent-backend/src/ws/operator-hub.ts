import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { DomainError } from '@wa-broker/shared/errors';
import type { Logger } from '@wa-broker/shared/logger';
import { type ClientFrame, clientFrame, type ServerFrame } from '@wa-broker/shared/operator-protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Identify } from '../auth/identify.js';
import type { Actor } from '../domain/ports.js';
import { isAllowedOrigin } from './auth.js';

export interface OperatorHubDeps {
  server: Server;
  path: string;
  /** The signed-in operator of the upgrade request (its session cookie), or null: 401. */
  identify: Identify;
  allowedOrigins: readonly string[];
  agentName: string;
  logger: Logger;
  answer: (frame: ClientFrame, actor: Actor) => Promise<ServerFrame>;
  /** An operator's first socket on this instance opened, or their last one closed. */
  onPresence?: (operatorId: string, localSockets: number) => void;
  metrics: { connections: (delta: number) => void; frame: (type: string) => void };
  heartbeatMs?: number;
}

export type SignedOutReason = Extract<ServerFrame, { type: 'signed_out' }>['reason'];

export interface OperatorHub {
  broadcast(frame: ServerFrame): void;
  /** To every socket except those of `operatorId` (a colleague's typing). */
  broadcastExcept(operatorId: string, frame: ServerFrame): void;
  /** Tells the matching sockets why, then closes them (4401): signed out, or the account was disabled. */
  closeWhere(matches: (actor: Actor) => boolean, reason: SignedOutReason): number;
  /** The operators with a socket open here, and how many each. */
  localOperators(): Map<string, number>;
  /** The sessions the sockets open here were signed in with. */
  localSessions(): Set<string>;
  clientCount(): number;
  close(): Promise<void>;
}

/** The operators' WebSocket endpoint on the HTTP server's `upgrade`, with token auth and a typed protocol. */
export function attachOperatorHub(deps: OperatorHubDeps): OperatorHub {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
  const alive = new WeakMap<WebSocket, boolean>();
  const actors = new Map<WebSocket, Actor>();
  const perOperator = new Map<string, number>();

  const onUpgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== deps.path) return refuse(socket, 404, 'Not Found');
    // Before the session lookup: a page of another site must not even learn whether the cookie is valid.
    if (!isAllowedOrigin(request, deps.allowedOrigins)) return refuse(socket, 403, 'Forbidden');
    let actor: Actor | null;
    try {
      actor = await deps.identify({ headers: request.headers, url: request.url });
    } catch (error) {
      deps.logger.error({ err: error }, 'operator socket sign-in check failed');
      return refuse(socket, 503, 'Service Unavailable');
    }
    if (!actor) return refuse(socket, 401, 'Unauthorized');
    const signedIn = actor;
    wss.handleUpgrade(request, socket, head, (ws) => opened(ws, signedIn));
  };
  const upgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) =>
    void onUpgrade(request, socket, head);
  deps.server.on('upgrade', upgradeListener);

  function opened(ws: WebSocket, actor: Actor) {
    alive.set(ws, true);
    actors.set(ws, actor);
    const count = (perOperator.get(actor.id) ?? 0) + 1;
    perOperator.set(actor.id, count);
    deps.metrics.connections(1);
    if (count === 1) deps.onPresence?.(actor.id, count);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('close', () => {
      deps.metrics.connections(-1);
      actors.delete(ws);
      const left = (perOperator.get(actor.id) ?? 1) - 1;
      if (left > 0) perOperator.set(actor.id, left);
      else perOperator.delete(actor.id);
      if (left === 0) deps.onPresence?.(actor.id, 0);
    });
    ws.on('error', (error) => deps.logger.warn({ err: error, operator: actor.id }, 'operator socket error'));
    ws.on('message', (data, isBinary) => {
      void handle(ws, actor, isBinary ? null : data.toString());
    });
    const { id, name, email, role } = actor;
    send(ws, {
      v: 1,
      type: 'welcome',
      agent: deps.agentName,
      server_time: new Date().toISOString(),
      ...(id !== 'dev-token' ? { operator: { id, name, email, role } } : {}),
    });
  }

  async function handle(ws: WebSocket, actor: Actor, text: string | null) {
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
      send(ws, await deps.answer(parsed.data, actor));
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
    broadcastExcept(operatorId, frame) {
      const text = JSON.stringify(frame);
      for (const [ws, actor] of actors)
        if (actor.id !== operatorId && ws.readyState === ws.OPEN) ws.send(text);
    },
    closeWhere(matches, reason) {
      let closed = 0;
      for (const [ws, actor] of actors) {
        if (!matches(actor)) continue;
        send(ws, { v: 1, type: 'signed_out', reason });
        ws.close(4401, reason);
        closed += 1;
      }
      return closed;
    },
    localOperators: () => new Map(perOperator),
    localSessions: () =>
      new Set([...actors.values()].flatMap((actor) => (actor.sessionId ? [actor.sessionId] : []))),
    clientCount: () => wss.clients.size,
    async close() {
      clearInterval(heartbeat);
      deps.server.off('upgrade', upgradeListener);
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
