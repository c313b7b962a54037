import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './stack-settings.js';

/** Lines kept per service: the secret grep reads them all, and a failed fault test quotes the router's. */
const maxLogLines = 20_000;

/**
 * Over the limit, the oldest kafkajs client lines go first (a broker down makes it log a connection error every
 * few milliseconds): the service's own events, such as the router's "uncommitted batch published again", stay.
 */
function compact(logs: string[]): void {
  const excess = logs.length - maxLogLines;
  let dropped = 0;
  const kept = logs.filter((line) => {
    if (dropped < excess && line.includes('"component":"kafkajs"')) {
      dropped += 1;
      return false;
    }
    return true;
  });
  if (kept.length > maxLogLines) kept.splice(0, kept.length - maxLogLines);
  logs.splice(0, logs.length, ...kept);
}

/** A service of this repo running as its own process, started from its real `src/main.ts`. */
export interface RunningService {
  name: string;
  url: string;
  port: number;
  logs: string[];
  process: ChildProcess;
  /** The environment it was started with, so a fault test can start it again the same way. */
  env: Record<string, string>;
  stop(): Promise<void>;
  /** kill -9, as a crash would; resolves once the process is gone. */
  kill(): Promise<void>;
}

/**
 * A port no one listens on now and that this process has not handed out before. The kernel may give a port just
 * closed to the next bind to port 0, so two calls could return the same port while the service the first went to is
 * still starting: the compose e2e's router once got the media service's port (EADDRINUSE).
 */
export const freePort = uniquePorts(anyFreePort);

/** `next`, skipping every port it returned before in this process. */
export function uniquePorts(next: () => Promise<number>): () => Promise<number> {
  const handedOut = new Set<number>();
  return async () => {
    for (;;) {
      const port = await next();
      if (!handedOut.has(port)) {
        handedOut.add(port);
        return port;
      }
    }
  };
}

/** A port the kernel picks among the free ones (bound to port 0, then closed). */
function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts `services/<name>/src/main.ts` (or `entry`) with tsx and the given environment (nothing from
 * `.env.example`), then waits for its health route on `port` (default PORT). Output is kept for the failure message.
 */
export async function launchService(
  name: string,
  env: Record<string, string>,
  options: { health?: string; timeoutMs?: number; entry?: string; port?: number } = {},
): Promise<RunningService> {
  const port = options.port ?? Number(env.PORT);
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry ?? 'src/main.ts'], {
    cwd: join(repoRoot, 'services', name),
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  // A chunk may end mid-line: each stream's unfinished line waits for the rest, so every entry is one whole line.
  const keeper = () => {
    let partial = '';
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      logs.push(...lines.filter(Boolean));
      if (logs.length > maxLogLines + 5_000) compact(logs);
    };
  };
  child.stdout?.on('data', keeper());
  child.stderr?.on('data', keeper());
  const running: RunningService = {
    name,
    url,
    port,
    logs,
    process: child,
    env,
    stop: () => stopProcess(child),
    kill: () => killProcess(child),
  };
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with ${child.exitCode}:\n${logs.slice(-30).join('\n')}`);
    try {
      if ((await fetch(`${url}${options.health ?? '/readyz'}`)).ok) return running;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await running.stop();
      throw new Error(`${name} not ready at ${url}:\n${logs.slice(-30).join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}
