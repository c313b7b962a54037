import { loadConfig } from '@wa-broker/shared/config';
import { createLogger } from '@wa-broker/shared/logger';
import { runMain } from '@wa-broker/shared/run-main';
import { installShutdown } from '@wa-broker/shared/shutdown';
import { startTracing } from '@wa-broker/shared/tracing';
import { serviceConfig } from './config.js';
import { createWebhookService } from './create-service.js';

async function main(): Promise<void> {
  const config = loadConfig(serviceConfig, process.env);
  const tracing = startTracing({ service: 'webhook', endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const logger = createLogger({ service: 'webhook', level: config.LOG_LEVEL });
  const { app, publisher } = await createWebhookService(config, logger);
  await app.listen({ host: config.HOST, port: config.PORT });
  installShutdown({
    logger,
    steps: [
      { name: 'http server', run: () => app.close() }, // stop accepting; in-flight POSTs finish first
      { name: 'kafka producer', run: () => publisher.close() }, // flush the queue, then disconnect
      { name: 'tracing', run: () => tracing.shutdown() },
    ],
  });
}

void runMain('webhook', main);
