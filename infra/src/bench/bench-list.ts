import type { BenchName } from './figures.js';

/** One benchmark as `pnpm bench` runs it: a root package.json script, with its settings for this run. */
export interface BenchDef {
  name: BenchName;
  script: string;
  args: string[];
  env: Record<string, string>;
  /** Run only when asked (`pnpm bench --media`): not part of issue 22's targets, and minutes long. */
  optional?: boolean;
}

export const benches: BenchDef[] = [
  // 50 connections only: the level issue 22's targets name, and a third of the time of 10,50,100.
  { name: 'webhook', script: 'bench:webhook', args: [], env: { BENCH_CONNECTIONS: '50' } },
  { name: 'router', script: 'bench:router', args: [], env: {} },
  { name: 'notify', script: 'bench:notify', args: [], env: {} },
  { name: 'e2e', script: 'bench:e2e', args: [], env: {} },
  { name: 'media', script: 'bench:media', args: ['--files', '100'], env: {}, optional: true },
];

/** How the summary shows the command (what someone re-runs by hand, with the bench stack's STACK_* set). */
export function commandLine(bench: BenchDef): string {
  const env = Object.entries(bench.env).map(([name, value]) => `${name}=${value} `);
  return `${env.join('')}pnpm ${bench.script}${bench.args.length ? ` ${bench.args.join(' ')}` : ''}`;
}

/** Run in rounds before the benches on the fresh broker until its JIT has settled (broker-jit.ts), their figures
 * discarded: they exercise the broker's hot paths (idempotent and transactional produce, read_committed fetches,
 * offset commits, the notifications' topics). */
export const warmupBenches: BenchDef[] = [
  { name: 'router', script: 'bench:router', args: [], env: {} },
  // One notification, not the median of three: only the broker's JIT matters here.
  { name: 'notify', script: 'bench:notify', args: ['--runs', '1'], env: {} },
];
