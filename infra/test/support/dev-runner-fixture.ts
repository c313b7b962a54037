import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDev } from '../../src/dev/dev-runner.js';
import type { DevPart } from '../../src/dev/part-check.js';
import { PortTakenError } from '../../src/dev/port-owner.js';

// The dev runner with parts a test chooses (argv[2]: { dir, parts }), no stack: writes its pid, prints outcomes.
const { dir, parts } = JSON.parse(process.argv[2] ?? '{}') as { dir: string; parts: DevPart[] };
writeFileSync(join(dir, 'runner.pid'), String(process.pid));
try {
  const { outcomes } = await runDev({ parts, cwd: dir, healthTimeoutMs: 30_000, log: () => undefined });
  console.log(`OUTCOMES ${JSON.stringify(outcomes)}`);
} catch (error) {
  console.error(error instanceof PortTakenError ? error.message : error);
  process.exit(1);
}
