import { setTimeout as sleep } from 'node:timers/promises';

/** A check's "not yet": the helper keeps polling while the check returns one of these. */
type NotYet = undefined | false | null;

export interface PollOptions {
  /** Named in the timeout error: "timed out after 15000 ms waiting for <what>". */
  what?: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** Appended to the timeout error, read only then (the frames seen, a service's logs). */
  detail?: () => string;
  /**
   * A check that throws is retried (the last error becomes the timeout's cause) instead of failing at once: for
   * probes of a server that refuses connections until it is up.
   */
  retryErrors?: boolean;
}

/** Thrown when the deadline passes; `cause` is the check's last error when `retryErrors` kept one. */
export class PollTimeoutError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PollTimeoutError';
  }
}

/**
 * Polls `check` until it returns a value (anything but undefined, null or false) and resolves with it, or rejects
 * after `timeoutMs`. The one wait-with-a-deadline of every package's tests (no bare sleeps); the check runs at
 * least once, so a deadline already passed on a slow machine still sees a condition that holds.
 */
export async function eventually<T>(
  check: () => T | NotYet | Promise<T | NotYet>,
  options: PollOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      if (!options.retryErrors) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      const extra = options.detail?.();
      const detail = extra ? `\n${extra}` : '';
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new PollTimeoutError(
        `timed out after ${timeoutMs} ms waiting for ${options.what ?? 'a condition'}${reason}${detail}`,
        lastError === undefined ? undefined : { cause: lastError },
      );
    }
    await sleep(options.intervalMs ?? 50);
  }
}
