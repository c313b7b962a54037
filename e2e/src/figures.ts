import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the suites leave their figures; `pnpm report:reliability` points this at a fresh folder. */
export function figuresDir(): string {
  return process.env.RELIABILITY_FIGURES_DIR ?? join(tmpdir(), 'wa-reliability-figures');
}

/** Keeps the figures of one scenario for the reliability report (one JSON file per scenario). */
export function recordFigures(scenario: string, figures: Record<string, unknown>): void {
  const dir = figuresDir();
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${scenario.replace(/[^a-z0-9-]+/gi, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ scenario, recordedAt: new Date().toISOString(), ...figures }, null, 2)}\n`,
  );
}
