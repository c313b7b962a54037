import { readFile } from 'node:fs/promises';
import type { Logger } from '@wa-broker/shared/logger';
import Fastify from 'fastify';
import { WebhookDelivery } from './adapters/webhook-delivery.js';
import type { SimulatorConfig } from './config.js';
import { ConversationStore } from './conversation-store.js';
import { graphApiRoutes } from './routes/graph-api.js';
import { simApiRoutes } from './routes/sim-api.js';
import { WhatsAppSimulator } from './whatsapp-simulator.js';

export interface AppDeps {
  config: SimulatorConfig;
  logger: Logger;
  /** The simulator's own base URL, for media download links. */
  publicUrl?: () => string;
}

const phonePage = new URL('../public/phone.html', import.meta.url);

/** Builds the simulator (fake Graph API, simulated users, fault API, phone page); never listens. */
export async function buildApp(deps: AppDeps) {
  const { config, logger } = deps;
  const number = {
    wabaId: config.SIM_WABA_ID,
    phoneNumberId: config.SIM_PHONE_NUMBER_ID,
    displayPhoneNumber: config.SIM_DISPLAY_PHONE_NUMBER,
  };
  const store = new ConversationStore();
  const delivery = new WebhookDelivery(
    {
      url: config.SIM_WEBHOOK_URL,
      appSecret: config.SIM_APP_SECRET,
      number,
      batchWindowMs: config.SIM_BATCH_WINDOW_MS,
      maxAttempts: config.SIM_DELIVERY_MAX_ATTEMPTS,
      initialBackoffMs: config.SIM_DELIVERY_BACKOFF_MS,
      maxBackoffMs: 30_000,
      timeoutMs: 10_000,
    },
    logger.child({ component: 'webhook-delivery' }),
  );
  delivery.faults.duplicateRate = config.SIM_DUPLICATE_RATE;
  const simulator = new WhatsAppSimulator(
    {
      number,
      accessTokens: config.SIM_ACCESS_TOKENS,
      throughputPerSecond: config.SIM_THROUGHPUT_PER_SECOND,
      pairBurst: config.SIM_PAIR_BURST,
      pairPerSecond: config.SIM_PAIR_PER_SECOND,
      statusDelays: {
        sentMs: config.SIM_STATUS_SENT_MS,
        deliveredMs: config.SIM_STATUS_DELIVERED_MS,
        readMs: config.SIM_STATUS_READ_MS,
      },
      autoRead: config.SIM_AUTO_READ,
      windowErrorMode: config.SIM_WINDOW_ERROR_MODE,
    },
    store,
    delivery,
    logger.child({ component: 'simulator' }),
  );

  const app = Fastify({ loggerInstance: logger, bodyLimit: 1024 * 1024 });
  const publicUrl = deps.publicUrl ?? (() => `http://${config.HOST}:${config.PORT}`);
  app.addHook('onClose', async () => {
    simulator.close();
    delivery.close();
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  // Nothing to connect to: ready as soon as it listens.
  app.get('/readyz', async () => ({ status: 'ready' }));
  app.get('/', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(await readFile(phonePage)),
  );
  await app.register(graphApiRoutes({ simulator, accessTokens: config.SIM_ACCESS_TOKENS, publicUrl }));
  await app.register(simApiRoutes({ simulator, store, delivery }));
  // Not Object.assign: a Fastify instance is thenable, so `await` would drop the extra fields' types.
  return { app, simulator, store, delivery };
}
