import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DevPart } from '../src/dev/part-check.js';
// A port nothing listens on (the kernel's pick, never twice): never one of `pnpm dev`'s.
import { freePort } from '../src/launch.js';
import { eventually } from '../src/poll.js';
import { isAlive } from '../src/processes.js';

const infraDir = join(import.meta.dirname, '..');
const fixture = join(import.meta.dirname, 'support/dev-runner-fixture.ts');

// A part: an HTTP server on its port and a grandchild, both pids written where the test reads them.
const fakePart = `
const { spawn } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const [port, pidFile] = process.argv.slice(1);
const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
require('node:http').createServer((_, res) => res.end('ok')).listen(Number(port), '127.0.0.1', () => {
  writeFileSync(pidFile, process.pid + ' ' + grandchild.pid);
});`;

let dir: string;
const started: ChildProcess[] = [];
const servers: Server[] = [];
const pids: number[] = [];

afterEach(async () => {
  // Whatever a failed assertion left behind: the runner, its parts, and the ports this test held.
  for (const pid of pids.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  rmSync(dir, { recursive: true, force: true });
});

async function listen(port: number): Promise<Server> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

function part(name: string, port: number): DevPart {
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    health: '/',
    what: name,
    command: [process.execPath, '-e', fakePart, String(port), join(dir, `${name}.pids`)],
  };
}

function startRunner(parts: DevPart[], via: 'node' | 'sh' = 'node') {
  dir ??= mkdtempSync(join(tmpdir(), 'dev-runner-'));
  const args = ['--import', 'tsx', fixture, JSON.stringify({ dir, parts })];
  const child =
    via === 'node'
      ? spawn(process.execPath, args, { cwd: infraDir })
      : // A parent that can die under the runner, as pnpm or the tsx CLI can.
        spawn('sh', ['-c', `"${process.execPath}" "$@"; :`, 'sh', ...args], { cwd: infraDir });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

function partPids(names: string[]): number[] {
  return names.flatMap((name) =>
    readFileSync(join(dir, `${name}.pids`), 'utf8')
      .split(' ')
      .map(Number),
  );
}

describe('pnpm dev runner', () => {
  it('refuses to start anything while an announced port is held, naming the process that holds it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dev-runner-'));
    const held = await listen(0);
    const heldPort = (held.address() as { port: number }).port;
    const runner = startRunner([part('api', await freePort()), part('operator', heldPort)]);
    expect(await runner.exited).toBe(1);
    expect(runner.output()).toContain(
      `operator: 127.0.0.1:${heldPort} is already in use by pid ${process.pid} (${process.execPath}`,
    );
    expect(existsSync(join(dir, 'api.pids'))).toBe(false); // nothing was started
  });

  const stops = [
    ['SIGTERM', 'the runner'],
    ['SIGINT', 'the runner'],
    ['SIGHUP', 'the runner'],
    ['SIGKILL', 'the runner (the reaper stops the parts)'],
    ['SIGKILL', 'the runner’s parent'],
  ] as const;
  it.each(stops)('stops every part and its children when %s reaches %s', async (signal, target) => {
    dir = mkdtempSync(join(tmpdir(), 'dev-runner-'));
    const ofParent = target.includes('parent');
    const runner = startRunner(
      [part('api', await freePort()), part('bot', await freePort())],
      ofParent ? 'sh' : 'node',
    );
    await eventually(() => runner.output().includes('OUTCOMES'), {
      what: 'both parts to answer',
      timeoutMs: 60_000,
      detail: runner.output,
    });
    expect(runner.output()).toContain('OUTCOMES [{"answered":true},{"answered":true}]');
    const runnerPid = Number(readFileSync(join(dir, 'runner.pid'), 'utf8'));
    const children = partPids(['api', 'bot']);
    pids.push(runnerPid, ...children);
    expect(children.every(isAlive)).toBe(true);

    process.kill(ofParent ? (runner.child.pid as number) : runnerPid, signal);
    await eventually(() => [runnerPid, ...children].every((pid) => !isAlive(pid)), {
      what: 'the runner and every part to be gone',
      timeoutMs: 30_000,
      detail: () => [runnerPid, ...children].filter(isAlive).join(', '),
    });
  });
});
