import type { Logger } from '@wa-broker/shared/logger';

/**
 * Retries a Redis write that follows an effect already done (records published, a message accepted by Meta)
 * for about 30 s, then gives up. Throwing at once would replay the effect: a Redis restart must not make an
 * agent get a message twice or lose the wamid of a sent one. Short waits, so it lands as soon as Redis is back.
 */
export async function retryStateWrite(
  logger: Logger,
  what: string,
  write: () => Promise<void>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= 120) throw error;
      logger.warn({ err: error, attempt }, `${what} failed; retrying`);
      await sleep(Math.min(50 * 2 ** attempt, 250));
    }
  }
}
