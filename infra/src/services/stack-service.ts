/** How `up` found or left a service. */
export type UpOutcome = 'started' | 'already running' | 'external';

export interface ServiceStatus {
  name: string;
  url: string;
  answering: boolean;
  /** Started by this stack (so `down` stops it) rather than found running. */
  ours: boolean;
  pid?: number;
}

/** One server of the local stack. `up` is idempotent and resolves only once the server really answers. */
export interface StackService {
  readonly name: string;
  readonly url: string;
  readonly logFile: string;
  up(progress: (message: string) => void): Promise<UpOutcome>;
  down(): Promise<boolean>;
  status(): Promise<ServiceStatus>;
}
