import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../stack-settings.js';
import { releaseReaper, runChild, startReaper } from './bench-child.js';
import { type BenchDef, benches, commandLine, warmupBenches } from './bench-list.js';
import { type BenchStack, createBenchStack } from './bench-stack.js';
import { brokerCompileSeconds, maxWarmupRounds, settledCompileSeconds } from './broker-jit.js';
import type { BenchName } from './figures.js';
import { type BenchRun, buildSummary, type Machine, toMarkdown } from './summary.js';

/**
 * `pnpm bench [--media] [--only webhook,router] [--no-warmup]`: every benchmark, one after the other (never two at
 * once on two cores), on a private stack with a fresh Kafka in its production JVM, warmed up until its JIT settled; writes bench/results/summary.md and
 * summary.json and exits 1 when a bench failed or missed a target. The stack goes away at the end, on failure
 * and on Ctrl-C.
 */
const { values } = parseArgs({
  options: {
    media: { type: 'boolean', default: false },
    only: { type: 'string' },
    warmup: { type: 'boolean', default: true },
  },
  allowNegative: true,
});
const only = values.only?.split(',').map((name) => name.trim());
const unknown = only?.filter((name) => !benches.some((bench) => bench.name === name));
if (unknown?.length) {
  console.error(`--only: no bench named ${unknown.join(', ')} (${benches.map((b) => b.name).join(', ')})`);
  process.exit(2);
}
const selected = benches.filter((bench) =>
  only ? only.includes(bench.name) : !bench.optional || (bench.name === 'media' && values.media),
);
const timeoutMs = Number(process.env.BENCH_TIMEOUT_MINUTES ?? 20) * 60_000;
const scripts = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts?: object })
  .scripts;

const log = (line: string) => console.log(line);
const stack = await createBenchStack((service, message) => log(`[bench stack: ${service}] ${message}`));
startReaper(stack.settings.stackDir, log);
// Exiting is the whole of the cleanup here: the reaper sees it and stops the running bench and the stack, which
// takes longer than tsx (our parent) waits before it kills us after relaying the signal.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.on(signal, () => {
    console.error(
      `\nbench: ${signal}; the running bench and the bench stack are being stopped in the background`,
    );
    process.exit(130);
  });

const date = new Date().toISOString();
const machine: Machine = {
  cores: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  node: process.version,
  platform: `${platform()} ${process.arch}`,
  memoryGb: Math.round(totalmem() / 2 ** 30),
};
const runs: BenchRun[] = [];
let warmup = "none (`--no-warmup`): the broker's JIT was cold for the first bench";
try {
  await stack.up((service, message) => log(`[bench stack: ${service}] ${message}`));
  if (values.warmup) warmup = await warmUp(stack);
  for (const bench of selected) runs.push(await runBench(bench, stack));
} finally {
  await stack.remove();
  releaseReaper();
  log(`[bench stack] stopped, ${stack.settings.stackDir} deleted`);
}

const summary = buildSummary({
  date,
  machine,
  kafka: {
    description: `a private single node started for this run (Kafka 3.9 KRaft, SASL/SCRAM-SHA-512, fresh data folder, ${stack.env.STACK_KAFKA_HEAP} heap)`,
    jvmOptions: stack.jvmOptions.filter((option) => !option.startsWith('-Dlog4j')),
    warmup,
  },
  benches: runs,
});
const markdown = toMarkdown(summary);
const dir = join(repoRoot, 'bench', 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'summary.md'), markdown);
writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(`\n${markdown}\nwritten to bench/results/summary.md and summary.json`);
process.exitCode = summary.ok ? 0 : 1;

/**
 * A broker in production has long compiled its hot paths; a fresh one compiles them (C2, on the same two cores)
 * for minutes under load, which halved the router's and the notifications' figures. So the warm-up benches run in
 * rounds until a round made the broker's JIT compile less than `settledCompileSeconds` (jstat -compiler). The
 * same rule every run: the figures do not depend on which bench ran first.
 */
async function warmUp(benchStack: BenchStack): Promise<string> {
  const names = warmupBenches.map((bench) => `\`${commandLine(bench)}\``).join(' + ');
  const compiled: number[] = [];
  for (let round = 1; round <= maxWarmupRounds; round++) {
    log(`\n=== warm-up round ${round}: ${names} on the bench broker, figures discarded`);
    const before = brokerCompileSeconds(benchStack.settings);
    const failed = [];
    for (const bench of warmupBenches)
      if ((await runBench(bench, benchStack)).status !== 'passed') failed.push(bench.name);
    const after = brokerCompileSeconds(benchStack.settings);
    if (failed.length)
      return `${names}: round ${round} failed (${failed.join(', ')}); the benches ran after it`;
    if (before === undefined || after === undefined)
      return `${names} once, figures discarded (the broker's JIT could not be read with jstat)`;
    compiled.push(Math.round((after - before) * 10) / 10);
    log(`[warm-up] the broker's JIT compiled for ${compiled.at(-1)} s of CPU in round ${round}`);
    if ((compiled.at(-1) ?? 0) < settledCompileSeconds)
      return `${names} in ${round} round(s) until the broker's JIT settled (CPU seconds compiling per round, jstat -compiler: ${compiled.join(', ')}; settled under ${settledCompileSeconds}), figures discarded`;
  }
  return `${names} in ${maxWarmupRounds} rounds, figures discarded; the broker's JIT had not settled (CPU seconds compiling per round: ${compiled.join(', ')})`;
}

async function runBench(bench: BenchDef, benchStack: BenchStack): Promise<BenchRun> {
  const base = { name: bench.name as BenchName, command: commandLine(bench) };
  if (!scripts || !(bench.script in scripts))
    return { ...base, status: 'not run', reason: `no \`${bench.script}\` script in package.json` };
  console.log(`\n=== ${base.command}`);
  const resultFile = join(benchStack.settings.stackDir, 'results', `${bench.name}.json`);
  mkdirSync(join(benchStack.settings.stackDir, 'results'), { recursive: true });
  const topicsBefore = new Set(await benchStack.topics());
  const loadBefore = loadavg();
  const outcome = await runChild('pnpm', [bench.script, ...bench.args], {
    cwd: repoRoot,
    env: { ...process.env, ...benchStack.env, ...bench.env, BENCH_RESULT_FILE: resultFile },
    timeoutMs,
  });
  const loadAfter = loadavg();
  const result = readResult(resultFile);
  // Every bench deletes its topics; what one leaves is reported, then deleted so the next starts clean.
  const leftTopics = (await benchStack.topics().catch(() => [])).filter((topic) => !topicsBefore.has(topic));
  await benchStack.deleteTopics(leftTopics).catch(() => undefined);
  const leftovers = [
    ...(leftTopics.length ? [`${leftTopics.length} topic(s): ${leftTopics.slice(0, 5).join(', ')}`] : []),
    ...(outcome.strays.length
      ? [`processes running after it exited, killed: ${outcome.strays.join('; ')}`]
      : []),
  ];
  const reason = outcome.timedOut
    ? `no end after ${timeoutMs / 60_000} min`
    : outcome.exitCode !== 0
      ? `exit ${outcome.exitCode ?? outcome.signal}`
      : result === undefined
        ? 'wrote no result to BENCH_RESULT_FILE'
        : undefined;
  return {
    ...base,
    status: reason ? 'failed' : 'passed',
    ...(reason ? { reason } : {}),
    seconds: outcome.seconds,
    loadAverage: { before: loadBefore.map(round2), after: loadAfter.map(round2) },
    ...(result === undefined ? {} : { result }),
    ...(leftovers.length ? { leftovers } : {}),
  };
}

function readResult(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  } finally {
    rmSync(file, { force: true });
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
