import type { Logger } from '@wa-broker/shared/logger';

export interface DispatchLoopDeps {
  /** One round; returns how many recipients it published. */
  dispatch: () => Promise<number>;
  intervalMs: number;
  logger: Logger;
}

/**
 * Runs the dispatcher every interval, and at once when nudged (a POST or a resend). A full round is followed
 * by another right away, so a large notification drains at Kafka's pace, not the interval's.
 */
export function startDispatchLoop(deps: DispatchLoopDeps) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const round = async () => {
    for (;;) {
      again = false;
      try {
        const published = await deps.dispatch();
        if (published > 0) deps.logger.info({ recipients: published }, 'send requests dispatched');
        if (published === 0 && !again) return;
      } catch (error) {
        deps.logger.error({ err: error }, 'dispatch failed');
        return;
      }
      if (stopped) return;
    }
  };
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = round().finally(() => {
      running = undefined;
      schedule();
    });
  };
  const schedule = () => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(run, deps.intervalMs);
  };
  schedule();
  return {
    nudge: run,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
