import type { RunningService } from '@wa-broker/infra/launch';
import type { System } from './system.js';

/**
 * Brings a system back to health before a scenario: every webhook, router and the agent backend alive and
 * answering 200 on /readyz. One that died (a kill -9 a failed test never undid) or never becomes ready is
 * started again, so one scenario's failure never becomes the next one's. Resolves with what it relaunched.
 */
export async function restoreHealth(system: System, options: { readyTimeoutMs?: number } = {}) {
  const services = [...system.webhooks, ...system.routers, ...(system.agent ? [system.agent] : [])];
  // A router started just after a kill -9 is ready only once the group drops the dead member: wait that out.
  const ready = await Promise.all(
    services.map((service) => becomesReady(service, options.readyTimeoutMs ?? 45_000)),
  );
  const relaunched: string[] = [];
  // One at a time: two routers starting together compete for 2 cores and join the same groups.
  for (const [index, service] of services.entries()) {
    if (ready[index]) continue;
    await system.relaunch(service);
    relaunched.push(`${service.name}:${service.port}`);
  }
  return relaunched;
}

export function isAlive(service: RunningService): boolean {
  return service.process.exitCode === null && service.process.signalCode === null;
}

async function becomesReady(service: RunningService, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(service)) {
    try {
      if ((await fetch(`${service.url}/readyz`, { signal: AbortSignal.timeout(2000) })).status === 200)
        return true;
    } catch {
      // not answering: keep asking until the deadline
    }
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
