import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { isGroupAlive, signalGroup } from '../dev/process-groups.js';
import { stackDown } from '../stack.js';
import { benchStackSettings } from './bench-stack.js';

/*
 * Runs detached beside `pnpm bench` (`tsx bench-reaper.ts <stack folder>`). pnpm bench writes `group <pgid>` when a
 * bench starts, `ended <pgid>` when it exited and `done` once it removed the stack itself. Our stdin closes when
 * pnpm bench is gone, however it went: on Ctrl-C tsx kills it within milliseconds of the signal (far too soon to
 * stop a Kafka), and SIGKILL cannot be caught at all. Unless told `done`, we then stop the running bench's group
 * and the bench stack, and delete its folder.
 */
const [stackDir] = process.argv.slice(2);
if (!stackDir) throw new Error('usage: bench-reaper.ts <bench stack folder>');
const groups = new Set<number>();
let done = false;
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [word, value] = line.trim().split(' ');
  const pgid = Number(value);
  if (word === 'done') done = true;
  else if (word === 'group' && Number.isInteger(pgid) && pgid > 1) groups.add(pgid);
  else if (word === 'ended') groups.delete(pgid);
});
lines.on('close', () => {
  if (done) process.exit(0);
  void reap().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`bench: could not remove the bench stack in ${stackDir}: ${String(error)}`);
      process.exit(1);
    },
  );
});
// Detached, so a Ctrl-C or a closing terminal does not reach us; these guard against a group-wide kill anyway.
for (const signal of ['SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);

async function reap(): Promise<void> {
  // SIGINT as a terminal's Ctrl-C would send it, SIGKILL to what is left after 15 s.
  for (const pgid of groups) signalGroup(pgid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while ([...groups].some(isGroupAlive) && Date.now() < deadline) await sleep(200);
  for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
  await stackDown({ settings: benchStackSettings(stackDir as string) });
  rmSync(stackDir as string, { recursive: true, force: true });
  console.error(`bench: the bench stack is stopped and ${stackDir} deleted`);
}
