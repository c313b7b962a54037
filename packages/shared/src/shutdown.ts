import type { Logger } from './logger.js';

export interface ShutdownStep {
  /** Shown in the log line of the step, e.g. `http server`, `inbound consumer`. */
  name: string;
  run: () => Promise<void> | void;
}

export interface ShutdownOptions {
  logger: Logger;
  /** Steps run in order: stop accepting, drain in-flight work, commit, then disconnect. */
  steps: readonly ShutdownStep[];
  /** The whole shutdown is cut short after this, so an orchestrator's kill never finds us half-way. */
  timeoutMs?: number;
  signals?: readonly NodeJS.Signals[];
  exit?: (code: number) => void;
}

/**
 * Runs the shutdown steps once, in order, each failure logged and the rest still attempted.
 * Returns whether every step succeeded within the time limit.
 */
export async function runShutdown(options: ShutdownOptions): Promise<boolean> {
  const timeoutMs = options.timeoutMs ?? 15000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const allSteps = (async () => {
    let ok = true;
    for (const step of options.steps) {
      try {
        await step.run();
        options.logger.info({ step: step.name }, 'shutdown step done');
      } catch (error) {
        ok = false;
        options.logger.error({ step: step.name, err: error }, 'shutdown step failed');
      }
    }
    return ok;
  })();
  const ok = await Promise.race([allSteps, timedOut]);
  clearTimeout(timer);
  if (!ok) options.logger.error({ timeoutMs }, 'shutdown incomplete');
  return ok;
}

/** Installs SIGTERM/SIGINT handlers that run {@link runShutdown} once and exit (0 when clean). */
export function installShutdown(options: ShutdownOptions): () => Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    running ??= runShutdown(options).then((ok) => exit(ok ? 0 : 1));
    return running;
  };
  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => {
      options.logger.info({ signal }, 'shutdown requested');
      void shutdown();
    });
  }
  return shutdown;
}
