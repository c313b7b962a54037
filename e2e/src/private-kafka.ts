import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaServices, stackDown, stackUp } from '@wa-broker/infra/stack';
import { stackSettings } from '@wa-broker/infra/stack-settings';
import { fixtureText } from './fixtures.js';
import { createSignature } from './signature.js';

/** A Kafka of one test file (its own folder and ports): killing its nodes never touches the shared stack. */
export interface PrivateKafka {
  brokers: string;
  replicationFactor: number;
  /** kill -9 node `index`, as a crash would. */
  kill(index: number): void;
  /** Starts node `index` again; resolves once it answers. */
  restart(index: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateKafka(ports: {
  brokers: 1 | 3;
  kafka: number;
  mongo: number;
}): Promise<PrivateKafka> {
  const dir = mkdtempSync(join(tmpdir(), 'wa-faults-kafka-'));
  const settings = stackSettings({
    STACK_DIR: dir,
    STACK_KAFKA_BROKERS: String(ports.brokers),
    STACK_KAFKA_PORT: String(ports.kafka),
    STACK_KAFKA_CONTROLLER_PORT: String(ports.kafka + 1),
    STACK_MONGO_PORT: String(ports.mongo),
    STACK_KAFKA_HEAP: '384m',
  });
  const { env } = await stackUp({ settings });
  const nodes = kafkaServices(settings);
  return {
    brokers: env.KAFKA_BROKERS ?? '',
    replicationFactor: Number(env.KAFKA_REPLICATION_FACTOR ?? 1),
    kill: (index) => {
      if (!nodes[index]?.kill()) throw new Error(`kafka node ${index} was not running`);
    },
    restart: async (index) => {
      await nodes[index]?.up(() => undefined);
    },
    stop: async () => {
      await stackDown({ settings });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A signed Meta status delivery from the shared fixtures: a harmless probe of the webhook's answer. */
export function signedProbe(appSecret: string): { body: string; signature: string } {
  const body = fixtureText('status-delivered.json');
  return { body, signature: createSignature(body, appSecret) };
}
