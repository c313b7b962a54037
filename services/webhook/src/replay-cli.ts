import { parseArgs } from 'node:util';
import { loadConfig } from '@wa-broker/shared/config';
import { createKafka, kafkaConnection } from '@wa-broker/shared/kafka';
import { createLogger } from '@wa-broker/shared/logger';
import { runMain } from '@wa-broker/shared/run-main';
import { z } from 'zod';
import { serviceConfig } from './config.js';
import { replayDeliveries } from './replay/replay-deliveries.js';

/**
 * `pnpm replay --from <ISO time> [--to <ISO time>] [--topic <target>] [--rebuild-state]`: the raw event log back
 * into events. `--rebuild-state` after the router's Redis was lost: the router rebuilds sessions, windows and
 * dedup marks from them and sends nothing (these events were all routed once already).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      topic: { type: 'string' },
      'rebuild-state': { type: 'boolean', default: false },
    },
  });
  const time = z.iso.datetime({ offset: true });
  const from = time.safeParse(values.from);
  const to = values.to === undefined ? undefined : time.safeParse(values.to);
  if (!from.success || (to && !to.success)) {
    console.error(
      'usage: pnpm replay --from <ISO time> [--to <ISO time>] [--topic <target topic>] [--rebuild-state]',
    );
    process.exit(2);
  }
  const config = loadConfig(
    serviceConfig.pick({
      KAFKA_BROKERS: true,
      KAFKA_USERNAME: true,
      KAFKA_PASSWORD: true,
      KAFKA_SASL_MECHANISM: true,
      KAFKA_TLS: true,
      KAFKA_TLS_CA_FILE: true,
      WEBHOOK_TOPIC: true,
      RAW_EVENT_LOG_TOPIC: true,
      LOG_LEVEL: true,
    }),
    process.env,
  );
  const logger = createLogger({ service: 'webhook-replay', level: config.LOG_LEVEL });
  const kafka = createKafka({ ...kafkaConnection(config), clientId: 'webhook-replay', logger });
  const admin = kafka.admin();
  const consumer = kafka.consumer({ groupId: `webhook-replay-${crypto.randomUUID()}`, maxWaitTimeInMs: 500 });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await Promise.all([admin.connect(), consumer.connect(), producer.connect()]);
  try {
    const targetTopic = values.topic ?? config.WEBHOOK_TOPIC;
    const report = await replayDeliveries(
      { admin, consumer, producer },
      {
        rawTopic: config.RAW_EVENT_LOG_TOPIC,
        targetTopic,
        from: new Date(from.data),
        ...(to?.success ? { to: new Date(to.data) } : {}),
        mode: values['rebuild-state'] ? 'rebuild-state' : 'route',
      },
    );
    logger.info({ ...report, target: targetTopic, rebuildState: values['rebuild-state'] }, 'replay finished');
  } finally {
    await consumer.disconnect();
    await Promise.all([producer.disconnect(), admin.disconnect()]);
  }
}

void runMain('webhook-replay', main);
