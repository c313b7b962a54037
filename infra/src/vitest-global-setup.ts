import { stackUp } from './stack.js';

/** Starts the local stack when it is not running; reuses it when it is. Leaves it running for the next run. */
export default async function setup(): Promise<void> {
  const { reports } = await stackUp({
    progress: (service, message) => {
      if (!message.includes('already running') && !message.includes('external'))
        console.warn(`[stack:${service}] ${message}`);
    },
  });
  const started = reports.filter((report) => report.outcome === 'started');
  if (started.length) console.warn(`[stack] started ${started.map((report) => report.service).join(', ')}`);
}
