import { loadConfig } from '@wa-broker/shared/config';
import { createLogger } from '@wa-broker/shared/logger';
import { runMain } from '@wa-broker/shared/run-main';
import { installShutdown } from '@wa-broker/shared/shutdown';
import { startTracing } from '@wa-broker/shared/tracing';
import { buildBot } from './app.js';
import { serviceConfig } from './config.js';
import { healthServer } from './routes/health.js';

async function main(): Promise<void> {
  const config = loadConfig(serviceConfig, process.env);
  // The commands it handles join the messages' traces (issue 21 §2) when tracing is on.
  const tracing = startTracing({ service: 'bot-agent', endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const logger = createLogger({ service: 'bot-agent', level: config.LOG_LEVEL });
  const bot = await buildBot({ config, logger });
  const health = healthServer(bot.isReady);
  await new Promise<void>((resolve) => health.listen(config.PORT, config.HOST, resolve));
  installShutdown({
    logger,
    steps: [
      { name: 'consumers and producers', run: () => bot.stop() },
      { name: 'health server', run: () => new Promise<void>((resolve) => health.close(() => resolve())) },
      { name: 'tracing', run: () => tracing.shutdown() },
    ],
  });
  await bot.start();
}

void runMain('bot-agent', main);
