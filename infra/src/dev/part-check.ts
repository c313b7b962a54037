import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { portOwner, processGroup } from './port-owner.js';

/** One process `pnpm dev` runs, and where it answers once it is ready. */
export interface DevPart {
  name: string;
  url: string;
  health: string;
  what: string;
  /** What to open in a browser, relative to `url`. */
  open?: string;
  /** The command and its arguments, run from the repo root in a process group of its own. */
  command: readonly string[];
  /** Listening is enough (a fake API with no health route). */
  anyStatus?: boolean;
}

export type PartOutcome = { answered: true } | { answered: false; reason: string };

/**
 * Waits until the part answers its health route on its own port. Answering is not enough: the listener must be
 * in the part's process group, or another server on that port would be announced as the part (the operator UI
 * once moved to 3001 silently while a stranger answered on 3000).
 */
export async function checkPart(part: DevPart, child: ChildProcess, timeoutMs: number): Promise<PartOutcome> {
  const deadline = Date.now() + timeoutMs;
  const port = Number(new URL(part.url).port);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      return { answered: false, reason: `exited (${child.signalCode ?? child.exitCode}) before answering` };
    if (await answers(part)) {
      const owner = portOwner(port);
      if (owner && child.pid !== undefined && processGroup(owner.pid) === child.pid)
        return { answered: true };
      const who = owner ? `pid ${owner.pid} (${owner.command})` : 'a process this user cannot see';
      return { answered: false, reason: `${part.url} is answered by ${who}, not by ${part.name}` };
    }
    await sleep(250);
  }
  return { answered: false, reason: `did not answer ${part.url}${part.health} within ${timeoutMs / 1000} s` };
}

async function answers(part: DevPart): Promise<boolean> {
  try {
    const response = await fetch(`${part.url}${part.health}`, { signal: AbortSignal.timeout(2000) });
    return response.ok || part.anyStatus === true;
  } catch {
    return false; // not listening yet
  }
}
