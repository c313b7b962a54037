import { type BenchName, type FigureSpec, figureSpecs, type Reading, round, type Target } from './figures.js';

/** What the orchestrator knows of one benchmark's run (its result JSON as the bench wrote it). */
export interface BenchRun {
  name: BenchName;
  command: string;
  status: 'passed' | 'failed' | 'not run';
  /** Why it failed or did not run. */
  reason?: string;
  seconds?: number;
  /** The 1-, 5- and 15-minute load averages just before and just after it. */
  loadAverage?: { before: number[]; after: number[] };
  result?: unknown;
  /** What it left on the bench's private stack (topics, processes), checked after it exited. */
  leftovers?: string[];
}

export interface Machine {
  cores: number;
  cpuModel: string;
  node: string;
  platform: string;
  memoryGb: number;
}

export interface KafkaUsed {
  description: string;
  jvmOptions: string[];
  /** What ran on the broker before the benches (its JIT warm-up), if anything. */
  warmup?: string;
}

export type Verdict = 'pass' | 'fail' | 'not measured' | 'not run' | 'reported';

export interface Row {
  bench: BenchName;
  figure: string;
  measured: string;
  target: string;
  /** measured / target for ≥ and ≤ targets. */
  ratio: string;
  verdict: Verdict;
  value?: number;
}

export interface Summary {
  date: string;
  ok: boolean;
  machine: Machine;
  kafka: KafkaUsed;
  benches: BenchRun[];
  rows: Row[];
  /** One line per failed bench, missed target or figure not measured: any of them makes `ok` false. */
  problems: string[];
  notes: string[];
}

const symbols: Record<Verdict, string> = {
  pass: '✓',
  fail: '✗',
  'not measured': '? not measured',
  'not run': '– not run',
  reported: '',
};
const ops: Record<Target['op'], string> = { '>=': '≥', '<=': '≤', '==': '=' };

export function buildSummary(input: {
  date: string;
  machine: Machine;
  kafka: KafkaUsed;
  benches: BenchRun[];
}): Summary {
  // A bench that did not run is one row, not one per figure it would have measured.
  const rows = input.benches.flatMap((run): Row[] =>
    run.status === 'not run'
      ? [{ bench: run.name, figure: 'every figure', measured: '', target: '', ratio: '', verdict: 'not run' }]
      : figureSpecs[run.name].map((spec) => rowOf(spec, run)),
  );
  const problems = [
    ...input.benches
      .filter((run) => run.status === 'failed')
      .map((run) => `${run.name}: failed${run.reason ? ` (${run.reason})` : ''}`),
    ...rows
      .filter((row) => row.verdict === 'fail')
      .map((row) => `${row.bench}: ${row.figure} ${row.measured}, target ${row.target}`),
    // A key missing from a result that exists (a renamed figure); a bench without result is named above.
    ...rows
      .filter((row) => row.verdict === 'not measured' && resultOf(input.benches, row.bench) !== undefined)
      .map((row) => `${row.bench}: ${row.figure} not measured (not in its result)`),
  ];
  // What a bench left on the bench stack is its own bug to fix, not a figure missed: noted, no failure.
  const notes = input.benches
    .filter((run) => run.leftovers?.length)
    .map((run) => `${run.name} left behind ${run.leftovers?.join('; ')} (removed before the next bench)`);
  return { ...input, ok: problems.length === 0, rows, problems, notes };
}

const resultOf = (benches: BenchRun[], name: BenchName) => benches.find((run) => run.name === name)?.result;

function rowOf(spec: FigureSpec, run: BenchRun): Row {
  const base = { bench: spec.bench, figure: spec.name };
  const reading: Reading = run.result === undefined ? {} : spec.read(run.result);
  const { target } = spec;
  const measured = measuredText(reading, spec.unit);
  const value = reading.value;
  const verdict = verdictOf(reading, target);
  return {
    ...base,
    measured,
    target: targetText(target, spec.unit),
    ratio:
      value !== undefined && target && target.op !== '==' && target.value !== 0
        ? fmt(value / target.value)
        : '',
    verdict,
    ...(value !== undefined ? { value } : {}),
  };
}

/**
 * pass/fail against the target; a figure without target is only reported. A reading that is there but is no
 * number (router's `meta_130429: 'would occur'`) fails its target; a missing one is "not measured".
 */
export function verdictOf(reading: Reading, target: Target | undefined): Verdict {
  if (reading.value === undefined && reading.text === undefined) return 'not measured';
  if (!target) return 'reported';
  if (reading.value === undefined) return 'fail';
  const v = reading.value;
  const met =
    target.op === '>=' ? v >= target.value : target.op === '<=' ? v <= target.value : v === target.value;
  return met ? 'pass' : 'fail';
}

function targetText(target: Target | undefined, unit?: string): string {
  if (!target) return '';
  if (unit === undefined && target.op === '==' && target.value === 1) return 'yes';
  return `${ops[target.op]} ${fmt(target.value)}${unit && target.value !== 0 ? ` ${unit}` : ''}`;
}

function measuredText(reading: Reading, unit?: string): string {
  if (reading.text !== undefined) return reading.text;
  if (reading.value === undefined) return '';
  return `${fmt(reading.value)}${unit ? ` ${unit}` : ''}`;
}

/** Whole numbers from 100, two decimals from 1, three below: a ratio of 0.949 must not read as its 0.95 target. */
export function fmt(value: number): string {
  const size = Math.abs(value);
  return String(size >= 100 ? Math.round(value) : round(value, size >= 1 ? 2 : 3));
}

const load = (values: number[] | undefined) => (values?.[0] === undefined ? '?' : values[0].toFixed(2));

export function toMarkdown(summary: Summary): string {
  const { machine, kafka } = summary;
  const missed = summary.rows.filter((row) => row.verdict === 'fail').length;
  const failed = summary.benches.filter((run) => run.status === 'failed').length;
  const unmeasured = summary.problems.filter((line) =>
    line.endsWith('not measured (not in its result)'),
  ).length;
  return [
    `# pnpm bench, ${summary.date}`,
    '',
    summary.ok
      ? 'Every bench that ran passed and met its targets.'
      : `**${[
          failed ? `${failed} bench(es) failed` : '',
          missed ? `${missed} target(s) missed` : '',
          unmeasured ? `${unmeasured} figure(s) not measured` : '',
        ]
          .filter(Boolean)
          .join(', ')}** (problems below).`,
    '',
    `Machine: ${machine.cores} × ${machine.cpuModel}, ${machine.memoryGb} GB, ${machine.platform}, Node ${machine.node}. ` +
      'Every bench runs alone, its load generator on the same machine as Kafka and the services.',
    '',
    `Kafka: ${kafka.description}; JVM \`${kafka.jvmOptions.join(' ')}\`.` +
      (kafka.warmup ? ` Warm-up: ${kafka.warmup}.` : ''),
    '',
    '| bench | figure | measured | target | ratio | verdict |',
    '| --- | --- | ---: | ---: | ---: | :---: |',
    ...summary.rows.map(
      (row) =>
        `| ${row.bench} | ${row.figure} | ${row.measured} | ${row.target} | ${row.ratio} | ${symbols[row.verdict]} |`,
    ),
    '',
    'Ratio: measured / target. Figures without a target are reported only.',
    '',
    '| bench | command | status | seconds | 1-min load before → after |',
    '| --- | --- | --- | ---: | --- |',
    ...summary.benches.map(
      (run) =>
        `| ${run.name} | \`${run.command}\` | ${run.status}${run.reason ? `: ${run.reason}` : ''} | ` +
        `${run.seconds === undefined ? '' : Math.round(run.seconds)} | ` +
        `${run.loadAverage ? `${load(run.loadAverage.before)} → ${load(run.loadAverage.after)}` : ''} |`,
    ),
    '',
    ...(summary.problems.length ? ['Problems:', '', ...summary.problems.map((line) => `- ${line}`), ''] : []),
    ...(summary.notes.length ? ['Notes:', '', ...summary.notes.map((line) => `- ${line}`), ''] : []),
  ].join('\n');
}
