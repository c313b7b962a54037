import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaNodeSpecs } from '../services/kafka-service.js';
import type { StackSettings } from '../stack-settings.js';

/**
 * A warm-up round is enough once the broker's JIT compiled less than this (CPU seconds) during it. On two cores a
 * fresh broker's C2 compiler took over 30 s of CPU in the first minute of load and still 2–3 s per 6 s in the
 * third, which halved the router's and the notifications' figures against a broker that had settled.
 */
export const settledCompileSeconds = 2;
/** At most this many warm-up rounds (about a minute each); the summary says whether the JIT had settled. */
export const maxWarmupRounds = 6;

/** The `Time` column of `jstat -compiler` (seconds the JVM has spent compiling); undefined if unreadable. */
export function compileSecondsOf(jstatOutput: string): number | undefined {
  const [header, values] = jstatOutput.trim().split('\n').slice(-2);
  const column = header?.trim().split(/\s+/).indexOf('Time') ?? -1;
  const seconds = Number(values?.trim().split(/\s+/)[column]);
  return column >= 0 && Number.isFinite(seconds) ? seconds : undefined;
}

/** CPU seconds the stack's (first) broker has spent compiling, or undefined when jstat cannot tell. */
export function brokerCompileSeconds(settings: StackSettings): number | undefined {
  const node = kafkaNodeSpecs(settings)[0];
  if (!node) return undefined;
  try {
    const pid = readFileSync(join(node.dir, 'kafka.pid'), 'utf8').trim();
    return compileSecondsOf(execFileSync('jstat', ['-compiler', pid], { encoding: 'utf8', timeout: 10_000 }));
  } catch {
    return undefined;
  }
}
