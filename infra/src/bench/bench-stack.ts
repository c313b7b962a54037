import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { privateStack } from '../private-stack.js';
import { canConnect, isAlive } from '../processes.js';
import { kafkaJvmOptions } from '../services/kafka-jvm.js';
import { stackDown, stackUp } from '../stack.js';
import { type StackSettings, stackEnv, stackKafkaSecurity, stackSettings } from '../stack-settings.js';

// Clear of the ports the tests' private stacks use (29092, 30092, 30292, 31192–31497; Mongo 27019–27292), all below the
// ephemeral port range (private-stack.ts).
const ports = { kafka: 30692, mongo: 27692 };
const folderPrefix = 'wa-bench-';
/** In the stack's folder: who owns it and its STACK_* variables, for the reaper and for a later run. */
const ownerFile = 'bench-owner.json';

export interface BenchStack {
  settings: StackSettings;
  /** The STACK_* variables every bench gets: stackSettings() in a child finds this stack through them. */
  env: Record<string, string>;
  jvmOptions: string[];
  up(progress: (service: string, message: string) => void): Promise<void>;
  /** Topics on it besides Kafka's own (`__consumer_offsets`…). */
  topics(): Promise<string[]>;
  deleteTopics(names: string[]): Promise<void>;
  /** stackDown and its folder deleted; again is a no-op. */
  remove(): Promise<void>;
}

/**
 * A stack of the benchmark's own, not started yet: fresh Kafka and Mongo in a temporary folder, Kafka with its
 * production JVM (STACK_KAFKA_JVM=bench, 6 GB heap unless BENCH_KAFKA_HEAP), nothing the test suites left in it.
 * PostgreSQL, Redis and S3 are the shared ones (the benches use their own schemas, key prefixes and buckets).
 */
export async function createBenchStack(
  progress: (service: string, message: string) => void,
): Promise<BenchStack> {
  await removeAbandonedStacks(progress);
  for (const port of [ports.kafka, ports.kafka + 1, ports.mongo])
    if (await canConnect('127.0.0.1', port))
      throw new Error(
        `port ${port} is in use: another pnpm bench running? (the bench stack's ports are fixed)`,
      );
  const stack = privateStack('bench', ports, {
    STACK_KAFKA_JVM: process.env.BENCH_KAFKA_JVM ?? 'bench',
    STACK_KAFKA_HEAP: process.env.BENCH_KAFKA_HEAP ?? '6g',
  });
  const { settings, env } = stack;
  writeFileSync(join(settings.stackDir, ownerFile), JSON.stringify({ pid: process.pid, env }));
  let removed: Promise<void> | undefined;
  return {
    settings,
    env,
    jvmOptions: kafkaJvmOptions(settings),
    up: async (report) => {
      seedJars(settings);
      await stackUp({ settings, progress: report });
    },
    topics: () =>
      withAdmin(settings, async (admin) => (await admin.listTopics()).filter((t) => !t.startsWith('__'))),
    deleteTopics: (topics) =>
      topics.length ? withAdmin(settings, (admin) => admin.deleteTopics({ topics })) : Promise.resolve(),
    remove: () => {
      removed ??= stack.remove();
      return removed;
    },
  };
}

/**
 * The shared stack's jars, when it has them: ensureJars then finds them resolved (it checks the pom's hash, so an
 * outdated copy is resolved again) and Maven is not run, which takes half a minute on a busy machine.
 */
function seedJars(settings: StackSettings): void {
  const shared = stackSettings().stackDir;
  for (const lib of ['kafka-lib', join('mongo', 'lib')])
    if (existsSync(join(shared, lib)) && shared !== settings.stackDir)
      cpSync(join(shared, lib), join(settings.stackDir, lib), { recursive: true });
}

/** The settings of the bench stack in `dir`, from what its run wrote there. */
export function benchStackSettings(dir: string): StackSettings {
  const { env } = JSON.parse(readFileSync(join(dir, ownerFile), 'utf8')) as { env: Record<string, string> };
  return stackSettings({ ...env, STACK_DIR: dir });
}

async function withAdmin<T>(
  settings: StackSettings,
  work: (admin: ReturnType<Kafka['admin']>) => Promise<T>,
): Promise<T> {
  const admin = new Kafka({
    brokers: (stackEnv(settings).KAFKA_BROKERS ?? '').split(','),
    clientId: 'bench-orchestrator',
    ...stackKafkaSecurity(settings),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * A run whose reaper could not finish (the machine rebooted, the reaper was killed too) leaves its folder, maybe
 * with Kafka and Mongo running: stopped and deleted here when the run that owned them is gone.
 */
async function removeAbandonedStacks(progress: (service: string, message: string) => void): Promise<void> {
  for (const name of readdirSync(tmpdir()).filter((entry) => entry.startsWith(folderPrefix))) {
    const dir = join(tmpdir(), name);
    const owner = join(dir, ownerFile);
    if (!existsSync(owner)) continue; // just created by a run starting now, or not a bench stack
    const { pid } = JSON.parse(readFileSync(owner, 'utf8')) as { pid: number };
    if (isAlive(pid)) continue;
    progress('stack', `removing ${dir}, left by an earlier run`);
    await stackDown({ settings: benchStackSettings(dir) });
    rmSync(dir, { recursive: true, force: true });
  }
}
