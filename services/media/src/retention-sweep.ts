import type { Logger } from '@wa-broker/shared/logger';
import type { Clock, MediaStore } from './domain/ports.js';

const hourMs = 3_600_000;

/** Deletes files older than the retention once at start and then every hour (MEDIA_RETENTION_DAYS). */
export function startRetentionSweep(deps: { store: MediaStore; days: number; clock: Clock; logger: Logger }) {
  const sweep = async () => {
    const cutoff = new Date(deps.clock.now().getTime() - deps.days * 24 * hourMs);
    try {
      const deleted = await deps.store.sweep(cutoff);
      if (deleted > 0)
        deps.logger.info({ deleted, cutoff: cutoff.toISOString() }, 'media past retention deleted');
    } catch (err) {
      deps.logger.error({ err }, 'media retention sweep failed: next one in an hour');
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), hourMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
