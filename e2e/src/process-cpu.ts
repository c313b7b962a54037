import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stackSettings } from '@wa-broker/infra/stack-settings';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux everywhere we run). */
const ticksPerSecond = 100;

/** CPU seconds (user + system) a process used so far, from /proc; undefined when it is gone or not Linux. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/**
 * The stack's Kafka and Mongo server processes, when the stack started them: their pid files in its folder
 * (`STACK_DIR`, so a `pnpm bench` stack's own). Kafka counts only with one broker (a pid file per node otherwise).
 */
export function stackPids(): Record<string, number> {
  const { stackDir } = stackSettings();
  const pids: Record<string, number> = {};
  for (const [name, file] of [
    ['kafka', join(stackDir, 'kafka', 'kafka.pid')],
    ['mongo', join(stackDir, 'mongo', 'mongo.pid')],
  ] as const) {
    if (!existsSync(file)) continue;
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0) pids[name] = pid;
  }
  return pids;
}

/**
 * Measures how much of one core each named process used between `start` and `stop` (100 = one core busy the
 * whole time). Processes are named by the caller: `router`, `agent-backend`, `kafka`, `bench`…
 */
export function cpuMeter(pids: Record<string, number>) {
  let startedAt = 0;
  const before = new Map<string, number>();
  return {
    start() {
      startedAt = performance.now();
      for (const [name, pid] of Object.entries(pids)) {
        const seconds = cpuSecondsOf(pid);
        if (seconds !== undefined) before.set(name, seconds);
      }
    },
    /** Percent of one core per process over the interval, rounded to whole percents. */
    stop(): Record<string, number> {
      const elapsed = (performance.now() - startedAt) / 1000;
      const percents: Record<string, number> = {};
      for (const [name, pid] of Object.entries(pids)) {
        const start = before.get(name);
        const end = cpuSecondsOf(pid);
        if (start === undefined || end === undefined || elapsed <= 0) continue;
        percents[name] = Math.round(((end - start) / elapsed) * 100);
      }
      return percents;
    },
  };
}
