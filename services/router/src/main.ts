import { loadConfig } from '@wa-broker/shared/config';
import { createLogger } from '@wa-broker/shared/logger';
import { runMain } from '@wa-broker/shared/run-main';
import { installShutdown } from '@wa-broker/shared/shutdown';
import { startTracing } from '@wa-broker/shared/tracing';
import { Redis } from 'ioredis';
import { buildApp } from './app.js';
import { serviceConfig } from './config.js';

async function main(): Promise<void> {
  const config = loadConfig(serviceConfig, process.env);
  const tracing = startTracing({ service: 'router', endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const logger = createLogger({ service: 'router', level: config.LOG_LEVEL });
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 });
  // Numbers whose Graph token is a named secret (the admin's numbers registry) read it from the environment.
  const router = await buildApp({ config, logger, redis, secrets: process.env });
  await router.app.listen({ host: config.HOST, port: config.PORT });
  installShutdown({
    logger,
    steps: [
      { name: 'consumers and producer', run: () => router.stop() },
      { name: 'http server', run: () => router.app.close() },
      { name: 'redis', run: async () => void (await redis.quit()) },
      { name: 'tracing', run: () => tracing.shutdown() },
    ],
  });
  await router.start();
}

void runMain('router', main);
