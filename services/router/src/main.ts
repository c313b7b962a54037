import { loadConfig } from '@wa-broker/shared/config';
import { createLogger } from '@wa-broker/shared/logger';
import { installShutdown } from '@wa-broker/shared/shutdown';
import { buildApp } from './app.js';
import { serviceConfig } from './config.js';

async function main(): Promise<void> {
  const config = loadConfig(serviceConfig, process.env);
  const logger = createLogger({ service: 'router', level: config.LOG_LEVEL });
  const app = await buildApp({ logger });
  await app.listen({ host: config.HOST, port: config.PORT });
  installShutdown({ logger, steps: [{ name: 'http server', run: () => app.close() }] });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
