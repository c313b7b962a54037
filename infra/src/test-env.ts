import { stackEnv, stackSettings } from './stack-settings.js';

/** Connection settings of the local stack for integration tests (the same names the services read). */
export function testStackEnv(): Record<
  'KAFKA_BROKERS' | 'DATABASE_URL' | 'TEST_DATABASE_URL' | 'REDIS_URL' | 'MONGO_URL',
  string
> {
  const env = stackEnv(stackSettings());
  return {
    KAFKA_BROKERS: env.KAFKA_BROKERS ?? '',
    DATABASE_URL: env.DATABASE_URL ?? '',
    TEST_DATABASE_URL: env.TEST_DATABASE_URL ?? '',
    REDIS_URL: env.REDIS_URL ?? '',
    MONGO_URL: env.MONGO_URL ?? '',
  };
}
