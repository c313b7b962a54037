import { join } from 'node:path';
import { OwnedProcess } from './owned-process.js';
import type { ServiceStatus, StackService, UpOutcome } from './stack-service.js';

export interface OwnedServiceSpec {
  /** Named in errors and reports: `kafka`, `mongo`, `kafka-2`. */
  name: string;
  url: string;
  /** Its folder in the stack folder, holding `<files>.pid` and `<files>.log`. */
  dir: string;
  files: string;
  /** Part of the server's command line (see OwnedProcessSpec). */
  marker: string;
  /** How long `down` waits after SIGTERM before SIGKILL. */
  stopGraceMs: number;
}

/**
 * A stack server the stack may start itself: the pid and log files, `down` and `status` every such server has.
 * A subclass says how it starts (`up`) and how it is asked whether it answers (`answers`).
 */
export abstract class OwnedService implements StackService {
  readonly name: string;
  readonly url: string;
  readonly logFile: string;
  protected readonly dir: string;
  protected readonly process: OwnedProcess;
  private readonly stopGraceMs: number;

  constructor(spec: OwnedServiceSpec) {
    this.name = spec.name;
    this.url = spec.url;
    this.dir = spec.dir;
    this.logFile = join(spec.dir, `${spec.files}.log`);
    this.stopGraceMs = spec.stopGraceMs;
    this.process = new OwnedProcess({
      name: spec.name,
      dir: spec.dir,
      pidFile: join(spec.dir, `${spec.files}.pid`),
      logFile: this.logFile,
      marker: spec.marker,
      answers: () => this.answers(),
    });
  }

  abstract up(progress: (message: string) => void): Promise<UpOutcome>;

  /** Whether the server answers its protocol (not merely accepts TCP). */
  protected abstract answers(): Promise<boolean>;

  down(): Promise<boolean> {
    return this.process.stop(this.stopGraceMs);
  }

  status(): Promise<ServiceStatus> {
    return this.process.status(this.url);
  }
}
