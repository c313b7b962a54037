import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  refuseEphemeralPorts(name, ports);
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

/**
 * A listener on a port of the kernel's ephemeral range fails now and then: any outgoing connection (a test's
 * client, the shared Kafka's) may hold it as its local port at that instant ("Address already in use"). Every
 * port a private stack listens on (each node's client and controller ports) must be below the range.
 */
function refuseEphemeralPorts(name: string, ports: PrivatePorts): void {
  const [low, high] = ephemeralPortRange();
  const nodes = ports.brokers ?? 1;
  const listening = [
    ...Array.from({ length: nodes * 2 }, (_, n) => ports.kafka + n),
    ports.mongo,
    ...(ports.s3 ? [ports.s3] : []),
  ];
  const clashing = listening.filter((port) => port >= low && port <= high);
  if (clashing.length > 0)
    throw new Error(
      `private stack ${name}: ports ${clashing.join(', ')} are in the ephemeral range ${low}–${high} ` +
        '(net.ipv4.ip_local_port_range); choose ports below it',
    );
}

function ephemeralPortRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low && high) return [low, high];
  } catch {
    // Not Linux: Linux's default range.
  }
  return [32768, 60999];
}
