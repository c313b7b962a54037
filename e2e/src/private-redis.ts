import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@wa-broker/infra/launch';
import { eventually } from '@wa-broker/infra/poll';

/** A redis-server of this test only (AOF on, own folder and port): the machine's Redis is never restarted. */
export interface PrivateRedis {
  url: string;
  /** Stops it (SIGTERM: AOF flushed, as a service restart does) and starts it again on the same port. */
  restart(options?: { downMs?: number }): Promise<void>;
  /** Starts it again if it is not running (a restart a failed scenario left half done). */
  ensureUp(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'wa-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''],
      { stdio: 'ignore' },
    );
    await waitForPort(port);
  };
  const isRunning = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const halt = async () => {
    const running = child;
    if (!running || !isRunning()) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    restart: async (options = {}) => {
      await halt();
      await new Promise((resolve) => setTimeout(resolve, options.downMs ?? 2000));
      await start();
    },
    ensureUp: async () => {
      if (!isRunning()) await start();
    },
    stop: async () => {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number): Promise<void> {
  const accepts = () =>
    new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
  await eventually(accepts, { what: `redis-server on ${port} to answer`, intervalMs: 100 });
}
