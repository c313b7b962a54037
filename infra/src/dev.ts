import { devParts } from './dev/dev-parts.js';
import { runDev } from './dev/dev-runner.js';
import type { DevPart, PartOutcome } from './dev/part-check.js';
import { PortTakenError } from './dev/port-owner.js';
import { provisionDevAccess } from './dev-access.js';
import { stackUp } from './stack.js';
import { repoRoot } from './stack-settings.js';

// `pnpm dev`: the stack, then every part; the list printed at the end is what answered, each on its own port.
async function main(): Promise<void> {
  const started = performance.now();
  const { outcomes } = await runDev({
    parts: devParts,
    cwd: repoRoot,
    // kafkajs warns about its v2 partitioner change on every start; our keys are new, the warning is noise.
    env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    before: async () => {
      await stackUp({ progress: (service, message) => console.log(`[stack:${service}] ${message}`) });
      // Each service's own Kafka principal (its .env.example credential) and the demo agent's.
      provisionDevAccess();
    },
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const failed = outcomes.filter((outcome) => !outcome.answered).length;
  console.log(
    failed === 0
      ? `\n\x1b[1mwa-broker is up in ${seconds} s\x1b[0m (Ctrl-C stops everything; the stack keeps running: pnpm stack down)`
      : `\n\x1b[1m${failed} of ${outcomes.length} parts did not answer\x1b[0m (after ${seconds} s; Ctrl-C stops the others)`,
  );
  for (const [index, part] of devParts.entries()) console.log(summaryLine(part, outcomes[index]));
  if (failed === 0)
    console.log('\nOpen the simulated phone, say hi, pick "Agent A", then answer from the operator inbox.\n');
}

function summaryLine(part: DevPart, outcome: PartOutcome | undefined): string {
  if (outcome?.answered) return `  ✔ ${`${part.url}${part.open ?? ''}`.padEnd(50)} ${part.what}`;
  return `  ✘ ${part.name.padEnd(50)} ${outcome?.reason ?? 'not started'}`;
}

main().catch((error: unknown) => {
  // A taken port is the operator's to fix and its message says how; anything else is ours, so the whole stack.
  console.error(error instanceof PortTakenError ? error.message : error);
  process.exit(1);
});
