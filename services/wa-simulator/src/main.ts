import { loadConfig } from '@wa-broker/shared/config';
import { createLogger } from '@wa-broker/shared/logger';
import { runMain } from '@wa-broker/shared/run-main';
import { installShutdown } from '@wa-broker/shared/shutdown';
import { buildApp } from './app.js';
import { businessNumbers, simulatorConfig } from './config.js';

async function main(): Promise<void> {
  const config = loadConfig(simulatorConfig, process.env);
  const logger = createLogger({ service: 'wa-simulator', level: config.LOG_LEVEL });
  const { app } = await buildApp({ config, logger });
  await app.listen({ host: config.HOST, port: config.PORT });
  logger.info(
    {
      webhook: config.SIM_WEBHOOK_URL,
      phone_number_id: config.SIM_PHONE_NUMBER_ID,
      phone_number_ids: businessNumbers(config).map((number) => number.phoneNumberId),
    },
    'simulated phone at http://%s:%d/',
    config.HOST,
    config.PORT,
  );
  installShutdown({ logger, steps: [{ name: 'http server', run: () => app.close() }] });
}

void runMain('wa-simulator', main);
