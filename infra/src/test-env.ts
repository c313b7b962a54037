import { stackEnv, stackKafkaSasl, stackKafkaSecurity, stackSettings } from './stack-settings.js';

/**
 * Connection settings of the local stack for integration tests (the same names the services read). Kafka as
 * the stack's super user: a service's own least-privilege principal is exercised by the e2e runs
 * (e2e/src/run-access.ts) and the isolation test.
 */
export function testStackEnv(): Record<
  | 'KAFKA_BROKERS'
  | 'KAFKA_USERNAME'
  | 'KAFKA_PASSWORD'
  | 'DATABASE_URL'
  | 'TEST_DATABASE_URL'
  | 'REDIS_URL'
  | 'MONGO_URL',
  string
> {
  const env = stackEnv(stackSettings());
  return {
    KAFKA_BROKERS: env.KAFKA_BROKERS ?? '',
    KAFKA_USERNAME: env.KAFKA_USERNAME ?? '',
    KAFKA_PASSWORD: env.KAFKA_PASSWORD ?? '',
    DATABASE_URL: env.DATABASE_URL ?? '',
    TEST_DATABASE_URL: env.TEST_DATABASE_URL ?? '',
    REDIS_URL: env.REDIS_URL ?? '',
    MONGO_URL: env.MONGO_URL ?? '',
  };
}

/** kafkajs' client options for the stack as its super user, for tests that build their own client. */
export function testKafkaConfig(clientId = 'test'): {
  brokers: string[];
  clientId: string;
} & ReturnType<typeof stackKafkaSecurity> {
  const settings = stackSettings();
  return {
    brokers: (stackEnv(settings).KAFKA_BROKERS ?? '').split(','),
    clientId,
    ...stackKafkaSecurity(settings),
  };
}

/** kafkajs' `sasl` (and `ssl` under STACK_KAFKA_TLS) for the stack's super user: spread into `new Kafka({…})`. */
export function testKafkaSecurity(): ReturnType<typeof stackKafkaSecurity> {
  return stackKafkaSecurity(stackSettings());
}

/** The stack's super user in the shape of `createKafka`'s `auth` (with the CA under STACK_KAFKA_TLS). */
export function testKafkaAuth(): {
  mechanism: 'scram-sha-512';
  username: string;
  password: string;
  tls?: { ca: string };
} {
  const settings = stackSettings();
  const ca = stackKafkaSecurity(settings).ssl?.ca[0];
  return { ...stackKafkaSasl(settings), ...(ca ? { tls: { ca } } : {}) };
}

/** The Kafka variables a service under test reads: the stack's brokers and its super user (and TLS). */
export function testKafkaEnv(): Record<string, string> {
  const env = stackEnv(stackSettings());
  return Object.fromEntries(
    ['KAFKA_BROKERS', 'KAFKA_USERNAME', 'KAFKA_PASSWORD', 'KAFKA_TLS', 'KAFKA_TLS_CA_FILE']
      .filter((name) => env[name] !== undefined)
      .map((name) => [name, env[name] as string]),
  );
}
