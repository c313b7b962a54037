import { privateStack } from '@wa-broker/infra/private-stack';
import { kafkaServices, stackUp } from '@wa-broker/infra/stack';
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
  const stack = privateStack('faults-kafka', ports);
  const { settings } = stack;
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
    stop: () => stack.remove(),
  };
}

/** A signed Meta status delivery from the shared fixtures: a harmless probe of the webhook's answer. */
export function signedProbe(appSecret: string): { body: string; signature: string } {
  const body = fixtureText('status-delivered.json');
  return { body, signature: createSignature(body, appSecret) };
}
