import type { Logger } from '@wa-broker/shared/logger';
import type { AgentService } from './domain/agent-service.js';

/**
 * After a change was committed but not published, republishes every agent's state until one attempt succeeds,
 * so the compacted topic converges without waiting for a restart. Returns a stop function.
 */
export function startResyncLoop(deps: {
  agents: Pick<AgentService, 'republishAll'>;
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
      const count = await deps.agents.republishAll();
      deps.logger.info({ agents: count }, 'agent states republished after a failed publish');
    } catch (error) {
      deps.resync.pending = true;
      deps.logger.error({ err: error }, 'agent resync failed');
    } finally {
      running = false;
    }
  }, deps.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
