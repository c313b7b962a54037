import { loadConfig } from '@wa-broker/shared/config';
import { createLogger } from '@wa-broker/shared/logger';
import { installShutdown } from '@wa-broker/shared/shutdown';
import { serviceConfig } from './config.js';
import { startNotify } from './runtime.js';

async function main(): Promise<void> {
  const config = loadConfig(serviceConfig, process.env);
  const logger = createLogger({ service: 'notify', level: config.LOG_LEVEL });
  const { app } = await startNotify(config, logger);
  await app.listen({ host: config.HOST, port: config.PORT });
  installShutdown({ logger, steps: [{ name: 'http server and clients', run: () => app.close() }] });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
