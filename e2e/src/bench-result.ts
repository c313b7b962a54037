import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@wa-broker/infra/stack-settings';

/**
 * Where a bench script's result goes: under `pnpm bench` to the file the orchestrator names
 * (`BENCH_RESULT_FILE`: its summary keeps every result); run alone, to `bench/results/<name>-<date>.json` and one
 * row of `bench/results/<name>.md` (the table is created with `header` the first time).
 */
export function writeBenchResult(
  name: string,
  result: { date: string },
  table: { header: string; row: string },
): void {
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (process.env.BENCH_RESULT_FILE) {
    writeFileSync(process.env.BENCH_RESULT_FILE, json);
    return;
  }
  const dir = join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}-${result.date.replace(/[:.]/g, '-')}.json`), json);
  const file = join(dir, `${name}.md`);
  if (!existsSync(file)) writeFileSync(file, table.header);
  appendFileSync(file, `${table.row}\n`);
}
