import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { serviceDir } from './processes.js';

// Where the service's CPU time goes: self time of a V8 .cpuprofile grouped by package, idle excluded.
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const groups: [RegExp, string][] = [
  [/kafkajs/, 'kafkajs (encode, partition, network)'],
  [/fastify|find-my-way|light-my-request|avvio/, 'fastify'],
  [/services\/webhook\/src/, 'webhook code (plan, sign, JSON)'],
  [/zod/, 'zod'],
  [/prom-client/, 'prom-client'],
  [/pino/, 'pino'],
  [/^node:(_http|http|net|stream|internal\/stream|events)/, 'node http/net/streams'],
  [/^node:buffer|buffer/, 'node Buffer'],
  [/tsx|esbuild|loader|hooks|internal\/modules/, 'module loading (start-up)'],
];

function groupOf(frame: ProfileNode['callFrame']): string {
  if (frame.functionName === '(garbage collector)') return 'garbage collector';
  if (!frame.url) return `native: ${frame.functionName || '(anonymous)'}`;
  return groups.find(([pattern]) => pattern.test(frame.url))?.[1] ?? 'other JS';
}

const dir = join(serviceDir, 'bench/results/profile');
const files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
const largest = files.sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
if (!largest) throw new Error(`no .cpuprofile in ${dir}: run BENCH_PROFILE=1 pnpm bench:webhook first`);
const profile = JSON.parse(readFileSync(join(dir, largest), 'utf8')) as Profile;
const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
const totals = new Map<string, number>();
profile.samples.forEach((id, index) => {
  const frame = frames.get(id);
  if (!frame || frame.functionName === '(idle)') return;
  const group = groupOf(frame);
  totals.set(group, (totals.get(group) ?? 0) + (profile.timeDeltas[index] ?? 0));
});
const busy = [...totals.values()].reduce((sum, value) => sum + value, 0);
console.log(`busy CPU ${(busy / 1e6).toFixed(1)} s in ${largest}`);
for (const [group, micros] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 14))
  console.log(`${((micros / busy) * 100).toFixed(1).padStart(5)}%  ${group}`);
