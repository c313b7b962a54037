import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { isGroupAlive, stopGroups } from '../dev/process-groups.js';

export interface ChildOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
  timedOut: boolean;
  /** Processes of its group still alive a moment after it exited (services it did not stop); they were killed. */
  strays: string[];
}

let reaper: ChildProcess | undefined;

/**
 * Starts the reaper of this run (bench-reaper.ts): should this process die before it removed the bench stack
 * (Ctrl-C: tsx kills it moments after the signal; SIGKILL), the reaper stops the running bench and the stack.
 */
export function startReaper(stackDir: string, log: (line: string) => void): void {
  const file = fileURLToPath(new URL('./bench-reaper.ts', import.meta.url));
  reaper = spawn(process.execPath, [...process.execArgv, file, stackDir], {
    cwd: dirname(file), // where tsx resolves, as for pnpm dev's reaper
    detached: true,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  reaper.on('error', (error) =>
    log(`bench: no reaper (${error.message}); a Ctrl-C would leave the stack running`),
  );
  reaper.stdin?.on('error', () => undefined);
  // Neither the reaper nor the pipe to it keeps this process alive: its end is what the reaper waits for.
  reaper.unref();
  (reaper.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null)?.unref?.();
}

/** This run removed the stack itself: the reaper has nothing left to do. */
export function releaseReaper(): void {
  reaper?.stdin?.end('done\n');
}

/**
 * Runs one bench in a process group of its own, its output on ours. Its own group because a bench is a tree of
 * processes (pnpm, tsx, the services it launches): stopping the group leaves nothing holding a port or a CPU.
 */
export function runChild(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<ChildOutcome> {
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: 'inherit',
    detached: true,
  });
  const pgid = child.pid;
  if (pgid) reaper?.stdin?.write(`group ${pgid}\n`);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (pgid) void stopGroups([pgid], 15_000);
  }, options.timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', async (exitCode, signal) => {
      clearTimeout(timer);
      let strays: string[] = [];
      if (pgid !== undefined) {
        // Helpers such as tsx's esbuild go a moment after their parent: only what outlives that is a stray.
        const deadline = Date.now() + 3_000;
        while (isGroupAlive(pgid) && Date.now() < deadline) await sleep(100);
        strays = groupMembers(pgid);
        if (isGroupAlive(pgid)) await stopGroups([pgid], 5_000);
        reaper?.stdin?.write(`ended ${pgid}\n`);
      }
      resolve({ exitCode, signal, seconds: (performance.now() - started) / 1000, timedOut, strays });
    });
  });
}

/** The command lines of the processes in group `pgid` (from /proc: field 5 of stat is the group). */
function groupMembers(pgid: number): string[] {
  const members: string[] = [];
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)))
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      members.push(`${pid} ${command.slice(0, 120)}`);
    } catch {
      // gone meanwhile
    }
  return members;
}
