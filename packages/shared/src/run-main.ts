import { createLogger, type LoggerSettings } from './logger.js';

export interface RunMainOptions {
  /** Where the failure line goes; stderr by default. Tests pass a stream to read it. */
  destination?: LoggerSettings['destination'];
  /** Defaults to `process.exit`; tests pass a spy. */
  exit?: (code: number) => void;
}

/**
 * Runs a process's `main` (a service's start, a CLI's whole run). A failure is logged whole through pino (type,
 * message with its causes, stack) rather than as a bare message that says nothing of where it came from, and the
 * process exits 1, even when clients `main` opened would keep the event loop alive.
 */
export async function runMain(
  service: string,
  main: () => Promise<void>,
  options: RunMainOptions = {},
): Promise<void> {
  try {
    await main();
  } catch (error) {
    // stderr, which Node writes synchronously to files and pipes on Linux, so the line is out before the exit;
    // it is also what a supervisor shows as the failure (`docker compose logs`, a test reading a refused start).
    const destination = options.destination ?? process.stderr;
    createLogger({ service, destination }).fatal({ err: error }, 'main failed');
    (options.exit ?? ((code: number) => process.exit(code)))(1);
  }
}
