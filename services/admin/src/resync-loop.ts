import type { Logger } from '@wa-broker/shared/logger';

/**
 * After a change was committed but not published, republishes every record of its kind (`agent`, `number`) until
 * one attempt succeeds, so the compacted topic converges without waiting for a restart. Returns a stop function.
 */
export function startResyncLoop(deps: {
  /** What is republished, for the logs: `agent` or `number`. */
  kind: string;
  republishAll: () => Promise<number>;
  resync: { pending: boolean };
  intervalMs: number;
  logger: Logger;
}): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (!deps.resync.pending || running) return;
    running = true;
    deps.resync.pending = false;
    try {
      const count = await deps.republishAll();
      deps.logger.info(
        { [`${deps.kind}s`]: count },
        `${deps.kind} states republished after a failed publish`,
      );
    } catch (error) {
      deps.resync.pending = true;
      deps.logger.error({ err: error }, `${deps.kind} resync failed`);
    } finally {
      running = false;
    }
  }, deps.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Syncs every WABA's templates from Meta now and then every `intervalMs` (a round never overlaps the previous
 * one). A failed round is logged and retried at the next. Returns a stop function.
 */
export function startTemplateSyncLoop(deps: {
  syncAll: () => Promise<
    ReadonlyArray<{ wabaId: string; complete: boolean; listed: number; changed: number }>
  >;
  intervalMs: number;
  logger: Logger;
}): () => void {
  let running = false;
  const round = async () => {
    if (running) return;
    running = true;
    try {
      const reports = await deps.syncAll();
      deps.logger.info({ wabas: reports }, 'templates synced');
    } catch (error) {
      deps.logger.error({ err: error }, 'template sync round failed');
    } finally {
      running = false;
    }
  };
  void round();
  const timer = setInterval(round, deps.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
