import { loadConfig } from '@wa-broker/shared/config';
import { createLogger } from '@wa-broker/shared/logger';
import { runMain } from '@wa-broker/shared/run-main';
import { installShutdown } from '@wa-broker/shared/shutdown';
import { serviceConfig } from './config.js';
import { startAdmin } from './runtime.js';

async function main(): Promise<void> {
  const config = loadConfig(serviceConfig, process.env);
  const logger = createLogger({ service: 'admin', level: config.LOG_LEVEL });
  const { app } = await startAdmin(config, logger, { secrets: process.env });
  await app.listen({ host: config.HOST, port: config.PORT });
  installShutdown({ logger, steps: [{ name: 'http server and clients', run: () => app.close() }] });
}

void runMain('admin', main);
