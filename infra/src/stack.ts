import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { isAlive, sleep, waitUntil } from './processes.js';
import { KafkaService, kafkaNodeSpecs } from './services/kafka-service.js';
import { MongoService } from './services/mongo-service.js';
import { PostgresService } from './services/postgres-service.js';
import { RedisService } from './services/redis-service.js';
import { S3Service } from './services/s3-service.js';
import type { ServiceStatus, StackService, UpOutcome } from './services/stack-service.js';
import { type StackSettings, stackEnv, stackKafkaSecurity, stackSettings } from './stack-settings.js';

export type { ServiceStatus } from './services/stack-service.js';

export interface UpReport {
  service: string;
  url: string;
  outcome: UpOutcome;
  seconds: number;
}

export type Progress = (service: string, message: string) => void;

export function stackServices(settings: StackSettings): StackService[] {
  return [
    new PostgresService(settings),
    new RedisService(settings),
    new MongoService(settings),
    ...kafkaServices(settings),
    new S3Service(settings),
  ];
}

export function kafkaServices(settings: StackSettings): KafkaService[] {
  const nodes = kafkaNodeSpecs(settings);
  return nodes.map((node) => new KafkaService(settings, node, nodes));
}

/** Single node and cluster share ports: refuse to start one while the other runs. */
async function assertNoOtherKafkaMode(settings: StackSettings): Promise<void> {
  const otherMode = { ...settings, kafkaBrokers: settings.kafkaBrokers === 1 ? 3 : 1 };
  const running = await Promise.all(kafkaServices(otherMode).map((node) => node.status()));
  if (running.some((node) => node.ours)) {
    const mode = settings.kafkaBrokers === 1 ? 'a Kafka cluster' : 'the single-node Kafka';
    throw new Error(`kafka: ${mode} of this stack is running; stop it first with \`pnpm stack down\``);
  }
}

/**
 * Brings every server up (or finds it running) and returns the connection variables.
 * Serialised by a lock in the stack folder, so parallel test runs never start a second Kafka.
 */
export async function stackUp(
  options: { settings?: StackSettings; progress?: Progress } = {},
): Promise<{ reports: UpReport[]; env: Record<string, string> }> {
  const settings = options.settings ?? stackSettings();
  const progress = options.progress ?? (() => undefined);
  mkdirSync(settings.stackDir, { recursive: true });
  return withLock(settings, async () => {
    const upOne = async (service: StackService): Promise<UpReport> => {
      const started = performance.now();
      const outcome = await service.up((message) => progress(service.name, message));
      const seconds = (performance.now() - started) / 1000;
      progress(service.name, `${outcome} in ${seconds.toFixed(1)} s at ${service.url}`);
      return { service: service.name, url: service.url, outcome, seconds };
    };
    await assertNoOtherKafkaMode(settings);
    const [postgres, redis, ...jvms] = stackServices(settings);
    // The machine's own PostgreSQL and Redis are probed before the JVMs load both cores; Kafka, Mongo and
    // S3Proxy take seconds each, so they start side by side.
    const reports = [await upOne(postgres as StackService), await upOne(redis as StackService)];
    reports.push(...(await Promise.all(jvms.map(upOne))));
    if (settings.kafkaBrokers > 1) await waitForClusterMembers(settings);
    return { reports, env: stackEnv(settings) };
  });
}

/** Each node answers on its own first; clients should see every member before `up` returns. */
async function waitForClusterMembers(settings: StackSettings): Promise<void> {
  const brokers = (stackEnv(settings).KAFKA_BROKERS ?? '').split(',');
  const admin = new Kafka({
    brokers,
    clientId: 'stack-probe',
    ...stackKafkaSecurity(settings),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    await waitUntil(
      'kafka cluster',
      async () => (await admin.describeCluster()).brokers.length === brokers.length,
      60_000,
    );
  } finally {
    await admin.disconnect();
  }
}

/** Stops the servers this stack started; servers it found running are left alone. */
export async function stackDown(options: { settings?: StackSettings } = {}): Promise<string[]> {
  const settings = options.settings ?? stackSettings();
  mkdirSync(settings.stackDir, { recursive: true });
  return withLock(settings, async () => {
    const otherMode = { ...settings, kafkaBrokers: settings.kafkaBrokers === 1 ? 3 : 1 };
    // Cluster nodes stop together: one by one, the last ones would wait for a quorum that is gone.
    const kafka = [...kafkaServices(settings), ...kafkaServices(otherMode)];
    const kafkaStopped = await Promise.all(
      kafka.map(async (node) => ((await node.down()) ? node.name : undefined)),
    );
    const stopped = kafkaStopped.filter((name): name is string => name !== undefined);
    const others = stackServices(settings).filter((service) => !(service instanceof KafkaService));
    for (const service of others.reverse()) if (await service.down()) stopped.push(service.name);
    return stopped;
  });
}

export async function stackStatus(options: { settings?: StackSettings } = {}): Promise<ServiceStatus[]> {
  const settings = options.settings ?? stackSettings();
  return Promise.all(stackServices(settings).map((service) => service.status()));
}

async function withLock<T>(settings: StackSettings, work: () => Promise<T>): Promise<T> {
  const lock = join(settings.stackDir, 'lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      if (isStale(lock)) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`stack: lock ${lock} held for over 3 minutes`);
      else await sleep(200);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function isStale(lock: string): boolean {
  try {
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    return !isAlive(pid);
  } catch {
    // No pid yet: the holder is between mkdir and writeFile, unless the lock is old.
    try {
      return Date.now() - statSync(lock).mtimeMs > 10_000;
    } catch {
      return true;
    }
  }
}
