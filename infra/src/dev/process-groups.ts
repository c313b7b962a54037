import { setTimeout as sleep } from 'node:timers/promises';

/** Sends `signal` to every process of the group `pgid`; false when the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export function isGroupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

/**
 * SIGTERM to each group, SIGKILL to those still alive after `graceMs`. A group rather than a pid: a part is
 * pnpm → tsx watch → node (or vite), and stopping only the top one leaves the server holding its port.
 */
export async function stopGroups(pgids: readonly number[], graceMs: number): Promise<void> {
  for (const pgid of pgids) signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pgids.some(isGroupAlive) && Date.now() < deadline) await sleep(100);
  for (const pgid of pgids) signalGroup(pgid, 'SIGKILL');
}
