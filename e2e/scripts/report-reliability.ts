import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@wa-broker/infra/stack-settings';
import {
  type ReliabilityReport,
  renderReliability,
  type SuiteRun,
  type TestOutcome,
} from '../src/reliability-report.js';

/**
 * `pnpm report:reliability`: runs the fault suite (`pnpm test:faults`) and the property tests with vitest's JSON
 * reporter, collects the figures each scenario recorded, and writes bench/results/reliability.json and
 * docs/reliability.md. Exits non-zero when a test failed (the files are still written, showing the failure).
 */
// `--render`: rewrite docs/reliability.md from the last bench/results/reliability.json without running anything.
if (process.argv.includes('--render')) {
  const last = JSON.parse(
    readFileSync(join(repoRoot, 'bench/results/reliability.json'), 'utf8'),
  ) as ReliabilityReport;
  writeFileSync(join(repoRoot, 'docs/reliability.md'), renderReliability(last));
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), 'wa-reliability-'));
const figuresDir = join(work, 'figures');
mkdirSync(figuresDir);
const e2eDir = join(repoRoot, 'e2e');

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  startTime: number;
  testResults: { name: string; assertionResults: { title: string; status: string; duration?: number }[] }[];
}

function runSuite(name: string, args: string[]): SuiteRun {
  const output = join(work, `${name}.json`);
  const started = Date.now();
  const result = spawnSync(
    'pnpm',
    [
      'exec',
      'vitest',
      'run',
      '--configLoader',
      'runner',
      ...args,
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${output}`,
    ],
    {
      cwd: e2eDir,
      stdio: 'inherit',
      env: { ...process.env, RELIABILITY_FIGURES_DIR: figuresDir, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    },
  );
  const seconds = (Date.now() - started) / 1000;
  let json: VitestJson | undefined;
  try {
    json = JSON.parse(readFileSync(output, 'utf8')) as VitestJson;
  } catch {
    json = undefined;
  }
  const tests: TestOutcome[] = (json?.testResults ?? []).flatMap((file) =>
    file.assertionResults.map((test) => ({
      file: file.name.replace(`${e2eDir}/`, ''),
      title: test.title,
      status: test.status,
      seconds: Math.round((test.duration ?? 0) / 100) / 10,
    })),
  );
  return {
    name,
    command:
      name === 'faults' ? 'pnpm test:faults' : 'pnpm --filter @wa-broker/e2e exec vitest run test/properties',
    passed: json?.numPassedTests ?? 0,
    failed: json?.numFailedTests ?? (result.status === 0 ? 0 : 1),
    seconds,
    tests,
  };
}

const suites = [
  runSuite('faults', ['--config', 'vitest.faults.config.ts']),
  runSuite('properties', ['test/properties']),
];
const figures = Object.fromEntries(
  readdirSync(figuresDir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => {
      const data = JSON.parse(readFileSync(join(figuresDir, file), 'utf8')) as { scenario: string };
      return [data.scenario, data];
    }),
);
const report = {
  generatedAt: new Date().toISOString(),
  command: 'pnpm report:reliability',
  machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
  suites,
  figures,
};
mkdirSync(join(repoRoot, 'bench/results'), { recursive: true });
writeFileSync(join(repoRoot, 'bench/results/reliability.json'), `${JSON.stringify(report, null, 2)}\n`);
mkdirSync(join(repoRoot, 'docs'), { recursive: true });
writeFileSync(join(repoRoot, 'docs/reliability.md'), renderReliability(report));
const failed = suites.reduce((sum, suite) => sum + suite.failed, 0);
const passed = suites.reduce((sum, suite) => sum + suite.passed, 0);
console.log(
  `reliability report: ${passed} passed, ${failed} failed → docs/reliability.md, bench/results/reliability.json`,
);
process.exitCode = failed > 0 ? 1 : 0;
