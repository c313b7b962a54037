import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackDown } from './stack.js';
import { type StackSettings, stackSettings } from './stack-settings.js';

/** Where a private stack's own servers listen; PostgreSQL and Redis stay the shared ones. */
export interface PrivatePorts {
  /** The first node's client port; its controller listens on the next one. */
  kafka: number;
  mongo: number;
  /** An S3Proxy of its own; without it the shared one is used (found running, so `up` reports it `external`). */
  s3?: number;
  /** 1 (the default) or 3: a KRaft cluster on consecutive ports from `kafka`. */
  brokers?: number;
  /** Kafka's client listener over TLS (STACK_KAFKA_TLS). */
  tls?: boolean;
}

export interface PrivateStack {
  settings: StackSettings;
  /** The STACK_* variables behind `settings`: a child process given them finds this stack (stackSettings()). */
  env: Record<string, string>;
  /** Stops what it started and deletes its folder. */
  remove(): Promise<void>;
}

/**
 * The settings of a stack of one test file: its own temporary folder and ports, so stopping or killing its Kafka
 * never disturbs the stack the other tests share. Start it with `stackUp({ settings })`. `overrides` are further
 * STACK_* variables (e.g. STACK_KAFKA_JVM, STACK_KAFKA_HEAP).
 */
export function privateStack(
  name: string,
  ports: PrivatePorts,
  overrides: Record<string, string> = {},
): PrivateStack {
  const dir = mkdtempSync(join(tmpdir(), `wa-${name}-`));
  const env: Record<string, string> = {
    STACK_DIR: dir,
    STACK_KAFKA_BROKERS: String(ports.brokers ?? 1),
    STACK_KAFKA_PORT: String(ports.kafka),
    STACK_KAFKA_CONTROLLER_PORT: String(ports.kafka + 1),
    STACK_MONGO_PORT: String(ports.mongo),
    STACK_KAFKA_HEAP: '384m',
    ...(ports.s3 ? { STACK_S3_PORT: String(ports.s3) } : {}),
    ...(ports.tls ? { STACK_KAFKA_TLS: 'true' } : {}),
    ...overrides,
  };
  const settings = stackSettings(env);
  return {
    settings,
    env,
    async remove() {
      await stackDown({ settings });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
