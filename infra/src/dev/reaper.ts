import { createInterface } from 'node:readline';
import { stopGroups } from './process-groups.js';

/*
 * Runs detached beside `pnpm dev`, which writes the process group of each part it starts to our stdin, one a
 * line. Our stdin closes when the runner is gone, however it died: even SIGKILL, which it cannot catch, and which
 * used to leave every part running and holding its port. Then every group still alive is stopped.
 */
const groups = new Set<number>();
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const pgid = Number(line.trim());
  if (Number.isInteger(pgid) && pgid > 1) groups.add(pgid);
});
lines.on('close', () => {
  void stopGroups([...groups], 5000).then(() => process.exit(0));
});
// Detached, so a Ctrl-C or a closing terminal does not reach us; these guard against a group-wide kill anyway.
for (const signal of ['SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);
