import { readFile } from 'node:fs/promises';
import multipart from '@fastify/multipart';
import type { Logger } from '@wa-broker/shared/logger';
import { metaMediaLimits } from '@wa-broker/shared/meta-media-rules';
import Fastify from 'fastify';
import { WebhookDelivery } from './adapters/webhook-delivery.js';
import { businessNumbers, type SimulatorConfig } from './config.js';
import { ConversationStore } from './conversation-store.js';
import { userForAddress } from './domain/bsuid.js';
import { NumberDirectory } from './domain/business-numbers.js';
import { metaErrors } from './domain/meta-errors.js';
import { MediaStore } from './media-store.js';
import { MessageTemplates } from './message-templates.js';
import { ResumableUploads } from './resumable-uploads.js';
import { graphApiRoutes, sendMetaError } from './routes/graph-api.js';
import { uploadPartLimit } from './routes/graph-media.js';
import { type FaultDefaults, simApiRoutes } from './routes/sim-api.js';
import { simMediaRoutes } from './routes/sim-media-api.js';
import { simTemplateRoutes } from './routes/sim-templates-api.js';
import { SimulatedUsers } from './simulated-users.js';
import { WhatsAppSimulator } from './whatsapp-simulator.js';

export interface AppDeps {
  config: SimulatorConfig;
  logger: Logger;
  /** The simulator's own base URL, for media URLs (else `SIM_PUBLIC_URL`, see the config). */
  publicUrl?: () => string;
  /** The day that decides which Graph API versions are live; the real date unless a test fixes one. */
  today?: () => Date;
  /** The simulator's clock (24 h windows, media lifetimes and URL expiry); real time unless a test moves it. */
  now?: () => Date;
  /** How Meta downloads a send's media `link`; fetch unless a test stands in. */
  fetchLink?: (url: string) => Promise<Response>;
}

/** The base of media URLs in webhooks: where a receiver reaches this simulator. */
function webhookBaseUrl(deps: AppDeps): () => string {
  const { config } = deps;
  if (deps.publicUrl) return deps.publicUrl;
  const configured = config.SIM_PUBLIC_URL;
  if (configured) return () => configured;
  const host = ['0.0.0.0', '::', '[::]'].includes(config.HOST) ? '127.0.0.1' : config.HOST;
  return () => `http://${host}:${config.PORT}`;
}

const phonePage = new URL('../public/phone.html', import.meta.url);

/** Builds the simulator (fake Graph API, simulated users, fault API, phone page); never listens. */
export async function buildApp(deps: AppDeps) {
  const { config, logger } = deps;
  // Every number's webhooks go to the one URL; BSUIDs are scoped to the portfolio, the first number's WABA.
  const numbers = new NumberDirectory(businessNumbers(config));
  const now = deps.now ?? (() => new Date());
  const media = new MediaStore(numbers, { urlTtlMs: config.SIM_MEDIA_URL_TTL_MS, now });
  const store = new ConversationStore((address) => userForAddress(numbers.first.wabaId, address));
  const delivery = new WebhookDelivery(
    {
      url: config.SIM_WEBHOOK_URL,
      appSecret: config.SIM_APP_SECRET,
      concurrency: config.SIM_DELIVERY_CONCURRENCY,
      maxAttempts: config.SIM_DELIVERY_MAX_ATTEMPTS,
      initialBackoffMs: config.SIM_DELIVERY_BACKOFF_MS,
      maxBackoffMs: 30_000,
      timeoutMs: 10_000,
    },
    logger.child({ component: 'webhook-delivery' }),
  );
  // The harsh variants are faults with configurable defaults; `POST /sim/reset` comes back to these.
  const faultDefaults: FaultDefaults = {
    duplicate_rate: config.SIM_DUPLICATE_RATE,
    batch_window_ms: config.SIM_BATCH_WINDOW_MS,
    window_error_mode: config.SIM_WINDOW_ERROR_MODE,
  };
  const uploads = new ResumableUploads();
  const templates = new MessageTemplates(
    {
      wabaIds: numbers.wabaIds,
      seeds: config.SIM_TEMPLATES,
      reviewMs: config.SIM_TEMPLATE_REVIEW_MS,
      headerSamples: uploads,
    },
    delivery,
    logger.child({ component: 'message-templates' }),
    now,
  );
  const simulator = new WhatsAppSimulator(
    {
      numbers,
      pairBurst: config.SIM_PAIR_BURST,
      pairPerSecond: config.SIM_PAIR_PER_SECOND,
      statusDelays: {
        sentMs: config.SIM_STATUS_SENT_MS,
        deliveredMs: config.SIM_STATUS_DELIVERED_MS,
        readMs: config.SIM_STATUS_READ_MS,
      },
      autoRead: config.SIM_AUTO_READ,
      media,
      templates,
      freeServiceReplies: config.SIM_FREE_SERVICE_REPLIES,
      ...(deps.fetchLink ? { fetchLink: deps.fetchLink } : {}),
    },
    store,
    delivery,
    logger.child({ component: 'simulator' }),
    now,
  );
  const users = new SimulatedUsers(
    numbers,
    store,
    delivery,
    media,
    logger.child({ component: 'simulated-users' }),
    {
      publicUrl: webhookBaseUrl(deps),
      inboundMaxBytes: metaMediaLimits.inboundMaxBytes,
      now,
    },
  );

  const app = Fastify({ loggerInstance: logger, bodyLimit: 1024 * 1024 });
  const lookupBase = deps.publicUrl ?? (config.SIM_PUBLIC_URL ? webhookBaseUrl(deps) : undefined);
  app.addHook('onClose', async () => {
    simulator.close();
    templates.close();
    delivery.close();
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  // Nothing to connect to: ready as soon as it listens.
  app.get('/readyz', async () => ({ status: 'ready' }));
  app.get('/', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(await readFile(phonePage)),
  );
  // A client of Meta only ever sees Meta's envelope, never Fastify's (Graph: unknown path → 2500).
  app.setNotFoundHandler((request, reply) =>
    sendMetaError(reply, metaErrors.unknownPath(request.url.split('?')[0] ?? request.url)),
  );
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    if (error.statusCode !== undefined && error.statusCode < 500)
      return sendMetaError(reply, metaErrors.invalidParameter(error.message));
    request.log.error({ err: error }, 'unhandled error');
    return sendMetaError(reply, metaErrors.unknown());
  });
  // Uploads (`POST /{phone-number-id}/media`): one file up to 100 MB (+1 byte to tell a larger one), read whole.
  await app.register(multipart, {
    limits: { fileSize: uploadPartLimit, files: 1, fields: 10, parts: 20 },
    throwFileSizeLimit: false,
  });
  await app.register(
    graphApiRoutes({
      simulator,
      defaultVersion: config.SIM_GRAPH_API_VERSION,
      media,
      numbers,
      templates,
      uploads,
      appId: config.SIM_APP_ID,
      ...(lookupBase ? { publicUrl: lookupBase } : {}),
      now: deps.today,
    }),
  );
  await app.register(
    simApiRoutes({ simulator, users, store, delivery, numbers, media, templates, uploads, faultDefaults }),
  );
  await app.register(simTemplateRoutes({ templates, uploads }));
  await app.register(
    simMediaRoutes({ users, media, numbers, keepBytes: metaMediaLimits.inboundMaxBytes + 1 }),
  );
  // Not Object.assign: a Fastify instance is thenable, so `await` would drop the extra fields' types.
  return { app, simulator, users, store, delivery, numbers, media, templates, uploads };
}
