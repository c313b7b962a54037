import { hostname } from 'node:os';
import { loadConfig } from '@wa-broker/shared/config';
import { createKafka, kafkaConnection } from '@wa-broker/shared/kafka';
import { createLogger } from '@wa-broker/shared/logger';
import { runMain } from '@wa-broker/shared/run-main';
import { installShutdown } from '@wa-broker/shared/shutdown';
import { startTracing } from '@wa-broker/shared/tracing';
import { MongoClient } from 'mongodb';
import { buildApp } from './app.js';
import { serviceConfig } from './config.js';

async function main(): Promise<void> {
  const config = loadConfig(serviceConfig, process.env);
  // Operators' replies and the events it handles join the messages' traces (issue 21 §2) when tracing is on.
  const tracing = startTracing({ service: 'agent-backend', endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const logger = createLogger({ service: 'agent-backend', level: config.LOG_LEVEL });
  const mongo = new MongoClient(config.MONGO_URL, { ignoreUndefined: true, serverSelectionTimeoutMS: 5000 });
  await mongo.connect();
  const kafka = createKafka({
    ...kafkaConnection(config),
    clientId: config.KAFKA_CLIENT_ID ?? 'agent-backend',
    logger,
  });
  const instanceId = config.INSTANCE_ID ?? hostname().replace(/[^a-zA-Z0-9._-]/g, '_');
  const service = await buildApp({ config, logger, db: mongo.db(config.MONGO_DATABASE), kafka, instanceId });
  await service.start();
  await service.app.listen({ host: config.HOST, port: config.PORT });
  installShutdown({
    logger,
    steps: [
      { name: 'agent backend', run: () => service.stop() },
      { name: 'mongo client', run: () => mongo.close() },
      { name: 'tracing', run: () => tracing.shutdown() },
    ],
  });
}

void runMain('agent-backend', main);
