import { loadConfig } from '@wa-broker/shared/config';
import { createLogger } from '@wa-broker/shared/logger';
import { runMain } from '@wa-broker/shared/run-main';
import { installShutdown } from '@wa-broker/shared/shutdown';
import { serviceConfig } from './config.js';
import { startMedia } from './runtime.js';

async function main(): Promise<void> {
  const config = loadConfig(serviceConfig, process.env);
  const logger = createLogger({ service: 'media', level: config.LOG_LEVEL });
  const app = await startMedia(config, logger);
  await app.listen({ host: config.HOST, port: config.PORT });
  installShutdown({
    logger,
    steps: [{ name: 'http server, consumers and clients', run: () => app.close() }],
  });
}

void runMain('media', main);
