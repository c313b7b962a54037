import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { checkPart, type DevPart, type PartOutcome } from './part-check.js';
import { assertPortsFree } from './port-owner.js';
import { stopGroups } from './process-groups.js';

export interface DevRunOptions {
  parts: readonly DevPart[];
  /** Where the parts' commands run. */
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Runs once every announced port is known to be free, before any part starts (the local stack). */
  before?: () => Promise<void>;
  healthTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface DevRun {
  outcomes: PartOutcome[];
  /** Stops every part (SIGTERM to its process group, SIGKILL after 8 s). */
  stop: () => Promise<void>;
}

const colors = [36, 33, 35, 32, 34, 31, 96, 93];
const reaperFile = join(dirname(fileURLToPath(import.meta.url)), 'reaper.ts');
const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Starts every part, each in its own process group, and resolves once each answered or failed. Refuses to start
 * anything while one of the announced ports is taken (PortTakenError). Whatever stops the runner stops the parts:
 * SIGINT, SIGTERM and SIGHUP stop them and exit; a death the runner cannot catch (SIGKILL) is seen by a reaper
 * process through its closed stdin; a parent that dies (pnpm, tsx) is seen by polling our ppid.
 */
export async function runDev(options: DevRunOptions): Promise<DevRun> {
  const log = options.log ?? ((line: string) => console.log(line));
  await assertPortsFree(options.parts);
  await options.before?.();
  const reaper = spawn(process.execPath, [...process.execArgv, reaperFile], {
    cwd: dirname(reaperFile), // where tsx resolves when the runner was started with --import tsx
    detached: true,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  // Without the reaper, only an uncatchable death leaves parts behind: say so, and run anyway.
  reaper.on('error', (error) =>
    log(`dev: no reaper (${error.message}); a SIGKILL of pnpm dev would leave parts running`),
  );
  reaper.stdin?.on('error', () => undefined);
  const children: ChildProcess[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= stopGroups(
      children.flatMap((child) => (child.pid ? [child.pid] : [])),
      8000,
    );
    return stopping;
  };
  const stopAndExit = (why: string) => {
    if (stopping) return; // a second signal, or the ppid check firing again while the parts stop
    log(`\nstopping (${why})…`);
    void stop().then(() => process.exit(0));
  };
  for (const signal of stopSignals) process.once(signal, () => stopAndExit(signal));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stopAndExit('the parent process is gone');
  }, 1000).unref();

  options.parts.forEach((part, index) => {
    const child = startPart(part, index, options, log, () => stopping !== undefined);
    children.push(child);
    if (child.pid) reaper.stdin?.write(`${child.pid}\n`);
  });
  const outcomes = await Promise.all(
    options.parts.map((part, index) =>
      checkPart(part, children[index] as ChildProcess, options.healthTimeoutMs ?? 90_000),
    ),
  );
  return { outcomes, stop };
}

function startPart(
  part: DevPart,
  index: number,
  options: DevRunOptions,
  log: (line: string) => void,
  isStopping: () => boolean,
): ChildProcess {
  const [command, ...args] = part.command;
  if (!command) throw new Error(`${part.name}: no command`);
  // Own process group, so stopping a part stops everything it spawned (tsx watch, vite).
  const child = spawn(command, args, {
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  const prefix = `\x1b[${colors[index % colors.length]}m${part.name.padEnd(9)}\x1b[0m|`;
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => log(`${prefix} ${line}`));
  }
  child.on('exit', (code, signal) => {
    if (!isStopping()) log(`${prefix} exited (${signal ?? code})`);
  });
  return child;
}
