import { csv, flag, httpEnv, logEnv } from '@wa-broker/shared/config';
import { graphApiVersionSchema } from '@wa-broker/shared/graph-api-versions';
import { z } from 'zod';

const ms = z.coerce.number().int().min(0);

export const simulatorConfig = z.object({
  ...logEnv.shape,
  ...httpEnv.shape,
  PORT: httpEnv.shape.PORT.default(4010),
  /** Where status and inbound webhooks are POSTed (the webhook service). */
  SIM_WEBHOOK_URL: z.string().url().default('http://127.0.0.1:5000/webhook'),
  /** Signs every webhook like Meta does; the webhook service must know the same secret. */
  SIM_APP_SECRET: z.string().min(8),
  /** Bearer tokens the fake Graph API accepts (the router's GRAPH_API_TOKEN must be one of them). */
  SIM_ACCESS_TOKENS: csv,
  /** What an unversioned path is served as, like the app's default version at Meta: a live one, default shared. */
  SIM_GRAPH_API_VERSION: graphApiVersionSchema(),
  SIM_WABA_ID: z.string().default('102290129340398'),
  SIM_PHONE_NUMBER_ID: z.string().default('106540352242922'),
  SIM_DISPLAY_PHONE_NUMBER: z.string().default('15550009999'),
  SIM_THROUGHPUT_PER_SECOND: z.coerce.number().positive().default(80),
  /** Per business-user pair: bursts up to 45, then one per 6 s (Meta's pair rate limit). */
  SIM_PAIR_BURST: z.coerce.number().int().positive().default(45),
  SIM_PAIR_PER_SECOND: z.coerce
    .number()
    .positive()
    .default(1 / 6),
  SIM_STATUS_SENT_MS: ms.default(150),
  SIM_STATUS_DELIVERED_MS: ms.default(400),
  SIM_STATUS_READ_MS: ms.default(1200),
  /** Users read what they receive (read receipts) without the phone page open. */
  SIM_AUTO_READ: flag.default(true),
  /**
   * A free-form send outside the 24 h window. `async` (Meta): accepted, then a `failed` status with 131047.
   * `sync` (a fault, also settable through `PUT /sim/faults`): refused with 400/131047.
   */
  SIM_WINDOW_ERROR_MODE: z.enum(['sync', 'async']).default('async'),
  /** 0 (Meta's usual way): one change per webhook POST. Above 0 (a fault): changes within it share a POST. */
  SIM_BATCH_WINDOW_MS: ms.default(0),
  /** Webhook POSTs at once (per-user order kept); changes piling up behind one go out together in the next. */
  SIM_DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  SIM_DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(12),
  SIM_DELIVERY_BACKOFF_MS: ms.default(250),
  SIM_DUPLICATE_RATE: z.coerce.number().min(0).max(1).default(0),
});
export type SimulatorConfig = z.infer<typeof simulatorConfig>;
