import { mkdirSync } from 'node:fs';
import { livePid, removeFile, spawnDetached, stopPid, tail, waitUntil } from '../processes.js';
import type { ServiceStatus } from './stack-service.js';

export interface OwnedProcessSpec {
  /** Named in errors: `kafka`, `mongo`, `kafka-2`. */
  name: string;
  /** Working folder, created on start; the pid and log files usually live in it. */
  dir: string;
  pidFile: string;
  logFile: string;
  /** Part of the process's command line: a pid file naming a recycled pid of another program is ignored. */
  marker: string;
  /** Whether the server answers its protocol (not merely accepts TCP). */
  answers: () => Promise<boolean>;
}

/**
 * A stack server this stack starts and stops itself: spawned detached with its pid in a file, waited for until it
 * answers, stopped by SIGTERM (then SIGKILL after a grace period), never confused with a server found running.
 */
export class OwnedProcess {
  constructor(private readonly spec: OwnedProcessSpec) {}

  /** The running process's pid when this stack started it and it is still alive. */
  pid(): number | undefined {
    return livePid(this.spec.pidFile, this.spec.marker);
  }

  /** Started earlier by this stack and answering: `up` has nothing to do. */
  async isRunning(): Promise<boolean> {
    return this.pid() !== undefined && (await this.spec.answers());
  }

  /** Spawns the server and resolves once it answers; a failure carries the tail of its log. */
  async start(command: string, args: string[], timeoutMs: number): Promise<void> {
    const { dir, logFile, pidFile, name } = this.spec;
    mkdirSync(dir, { recursive: true });
    const pid = spawnDetached(command, args, logFile, pidFile, dir);
    try {
      await waitUntil(name, this.spec.answers, timeoutMs, () => this.pid() === pid);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- tail of ${logFile} ---\n${tail(logFile)}`, {
        cause: error,
      });
    }
  }

  /** SIGTERM, SIGKILL after `graceMs`; false when this stack had nothing running. */
  async stop(graceMs: number): Promise<boolean> {
    const pid = this.pid();
    if (!pid) return false;
    await stopPid(pid, graceMs);
    removeFile(this.spec.pidFile);
    return true;
  }

  /** kill -9, as a crash would (fault tests). */
  kill(): boolean {
    const pid = this.pid();
    if (!pid) return false;
    process.kill(pid, 'SIGKILL');
    return true;
  }

  async status(url: string): Promise<ServiceStatus> {
    const pid = this.pid();
    return {
      name: this.spec.name,
      url,
      answering: await this.spec.answers(),
      ours: pid !== undefined,
      ...(pid ? { pid } : {}),
    };
  }
}
