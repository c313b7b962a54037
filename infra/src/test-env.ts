import { stackEnv, stackKafkaSasl, stackSettings } from './stack-settings.js';

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
  sasl: ReturnType<typeof stackKafkaSasl>;
} {
  const settings = stackSettings();
  return {
    brokers: (stackEnv(settings).KAFKA_BROKERS ?? '').split(','),
    clientId,
    sasl: stackKafkaSasl(settings),
  };
}

/** The stack's super user in the shape of `createKafka`'s `auth`. */
export function testKafkaAuth(): { mechanism: 'scram-sha-512'; username: string; password: string } {
  return stackKafkaSasl(stackSettings());
}

/** The Kafka variables a service under test reads: the stack's brokers and its super user. */
export function testKafkaEnv(): { KAFKA_BROKERS: string; KAFKA_USERNAME: string; KAFKA_PASSWORD: string } {
  const { KAFKA_BROKERS, KAFKA_USERNAME, KAFKA_PASSWORD } = testStackEnv();
  return { KAFKA_BROKERS, KAFKA_USERNAME, KAFKA_PASSWORD };
}
