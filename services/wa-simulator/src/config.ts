import { csv, flag, httpEnv, logEnv } from '@wa-broker/shared/config';
import { graphApiVersionSchema } from '@wa-broker/shared/graph-api-versions';
import {
  parameterFormats,
  templateCategories,
  templateComponentDefinition,
  templateStatuses,
} from '@wa-broker/shared/message-templates';
import { metaMediaLimits } from '@wa-broker/shared/meta-media-rules';
import { metaThroughput } from '@wa-broker/shared/meta-throughput';
import { checkTemplateDefinition } from '@wa-broker/shared/template-definition-rules';
import { z } from 'zod';
import type { SimNumber } from './domain/business-numbers.js';
import { defaultTemplateSeeds, type TemplateSeed } from './domain/template-seeds.js';

const ms = z.coerce.number().int().min(0);
const metaId = z.string().regex(/^\d{1,32}$/, 'must be Meta’s numeric id');

/** One more business number (issue 17 §2); its WABA, token and throughput default to the first number's ways. */
const extraNumber = z.strictObject({
  phone_number_id: metaId,
  display_phone_number: z.string().min(1).max(40),
  /** Default `SIM_WABA_ID`; another WABA of the same portfolio still posts to the one webhook. */
  waba_id: metaId.optional(),
  /** The one bearer token this number's endpoints accept; default `SIM_ACCESS_TOKENS`. */
  token: z.string().min(1).optional(),
  /** Meta's default is 80 messages/s per number, 1,000 after its upgrade (meta-2026-changes.md §1.9). */
  throughput_per_second: z.number().positive().default(metaThroughput.defaultPerSecond),
});

/** `SIM_EXTRA_NUMBERS`: a JSON array of {@link extraNumber}. */
const extraNumbers = z
  .string()
  .transform((value, context) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be a JSON array of numbers' });
      return z.NEVER;
    }
  })
  .pipe(z.array(extraNumber));

/** One seed of `SIM_TEMPLATES`: a definition Meta would accept, and its status (default APPROVED). */
const templateSeed = z
  .strictObject({
    name: z.string(),
    language: z.string(),
    category: z.enum(templateCategories),
    parameter_format: z.enum(parameterFormats).optional(),
    components: z.array(templateComponentDefinition),
    status: z.enum(templateStatuses).optional(),
  })
  .superRefine((seed, context) => {
    for (const problem of checkTemplateDefinition(seed))
      context.addIssue({ code: 'custom', message: `${seed.name}: ${problem.field}: ${problem.message}` });
  });

/** `SIM_TEMPLATES`: a JSON array of {@link templateSeed}, every WABA's templates at start and after a reset. */
const templateSeeds = z
  .string()
  .transform((value, context) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be a JSON array of templates' });
      return z.NEVER;
    }
  })
  .pipe(z.array(templateSeed))
  .transform((seeds): TemplateSeed[] => seeds);

export const simulatorConfig = z
  .object({
    ...logEnv.shape,
    ...httpEnv.shape,
    PORT: httpEnv.shape.PORT.default(4010),
    /** Where status and inbound webhooks are POSTed (the webhook service). */
    SIM_WEBHOOK_URL: z.string().url().default('http://127.0.0.1:5000/webhook'),
    /** Signs every webhook like Meta does; the webhook service must know the same secret. */
    SIM_APP_SECRET: z.string().min(8),
    /**
     * Bearer tokens the first number's Graph endpoints (and media) accept, and every extra number's without a
     * `token` of its own (the router's GRAPH_API_TOKEN must be one of them).
     */
    SIM_ACCESS_TOKENS: csv,
    /** What an unversioned path is served as, like the app's default version at Meta: a live one, default shared. */
    SIM_GRAPH_API_VERSION: graphApiVersionSchema(),
    SIM_WABA_ID: z.string().default('102290129340398'),
    /** The Meta app whose Resumable Upload API (`/{app-id}/uploads`) takes template header samples. */
    SIM_APP_ID: metaId.default('123456789012345'),
    SIM_PHONE_NUMBER_ID: z.string().default('106540352242922'),
    SIM_DISPLAY_PHONE_NUMBER: z.string().default('15550009999'),
    SIM_THROUGHPUT_PER_SECOND: z.coerce.number().positive().default(metaThroughput.defaultPerSecond),
    /**
     * Further business numbers beside `SIM_PHONE_NUMBER_ID` (the first and default one), as JSON:
     * `[{"phone_number_id","display_phone_number","waba_id"?,"token"?,"throughput_per_second"?}]`.
     */
    SIM_EXTRA_NUMBERS: extraNumbers.default([]),
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
    /** How long a media URL from `GET /{media-id}` (or a webhook's `url`) works: Meta's 5 minutes. */
    SIM_MEDIA_URL_TTL_MS: z.coerce.number().int().min(1).default(metaMediaLimits.urlTtlMs),
    /**
     * The simulator's base URL as webhook receivers reach it, for the `url` of media in webhooks (and of
     * lookups); empty: `http://HOST:PORT` for webhooks (127.0.0.1 for a wildcard HOST) and, for a lookup, the
     * base the client called.
     */
    /**
     * Every WABA's templates at start and after `POST /sim/reset`, as JSON (`[{name, language, category,
     * parameter_format?, components, status?}]`); default: Meta's `hello_world` and the ones the repo sends.
     */
    SIM_TEMPLATES: templateSeeds.default([...defaultTemplateSeeds]),
    /** How long a created template stays PENDING before Meta's review (simulated) approves or rejects it. */
    SIM_TEMPLATE_REVIEW_MS: ms.default(2000),
    /**
     * Statuses' `pricing` before 2026-10-01: a free-form reply (or utility template) inside the window is
     * `free_customer_service`, not billable. Default false: billed as `regular` (meta-2026-changes.md §1.3).
     */
    SIM_FREE_SERVICE_REPLIES: flag.default(false),
    SIM_PUBLIC_URL: z
      .string()
      .url()
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
  })
  .superRefine((config, context) => {
    const ids = [config.SIM_PHONE_NUMBER_ID, ...config.SIM_EXTRA_NUMBERS.map((n) => n.phone_number_id)];
    const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
    if (repeated.length > 0)
      context.addIssue({
        code: 'custom',
        path: ['SIM_EXTRA_NUMBERS'],
        message: `phone_number_id given twice: ${[...new Set(repeated)].join(', ')}`,
      });
  });
export type SimulatorConfig = z.infer<typeof simulatorConfig>;

/** The business numbers the simulator serves, the first (`SIM_PHONE_NUMBER_ID`) first. */
export function businessNumbers(config: SimulatorConfig): [SimNumber, ...SimNumber[]] {
  return [
    {
      wabaId: config.SIM_WABA_ID,
      phoneNumberId: config.SIM_PHONE_NUMBER_ID,
      displayPhoneNumber: config.SIM_DISPLAY_PHONE_NUMBER,
      accessTokens: config.SIM_ACCESS_TOKENS,
      throughputPerSecond: config.SIM_THROUGHPUT_PER_SECOND,
    },
    ...config.SIM_EXTRA_NUMBERS.map((extra) => ({
      wabaId: extra.waba_id ?? config.SIM_WABA_ID,
      phoneNumberId: extra.phone_number_id,
      displayPhoneNumber: extra.display_phone_number,
      accessTokens: extra.token ? [extra.token] : config.SIM_ACCESS_TOKENS,
      throughputPerSecond: extra.throughput_per_second,
    })),
  ];
}
