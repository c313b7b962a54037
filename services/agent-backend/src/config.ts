import { csv, flag, httpEnv, kafkaEnv, logEnv } from '@wa-broker/shared/config';
import { agentGroupPrefix } from '@wa-broker/shared/kafka-access';
import { operatorPassword } from '@wa-broker/shared/operator-accounts';
import { agentErrorTopic, agentInTopic, agentOutTopic, defaultTopics } from '@wa-broker/shared/topics';
import { tracingEnv } from '@wa-broker/shared/tracing';
import { z } from 'zod';

export const serviceConfig = z
  .object({
    ...logEnv.shape,
    ...httpEnv.shape,
    ...kafkaEnv.shape,
    ...tracingEnv.shape,
    PORT: httpEnv.shape.PORT.default(7000),
    AGENT_NAME: z.string().trim().min(1).default('Agent A'),
    /** Base of the default topic names `<slug>-in/-out/-error` (the original's `agent_A-in`, …). */
    AGENT_SLUG: z
      .string()
      .regex(/^[a-zA-Z0-9._-]{1,200}$/)
      .default('agent_A'),
    AGENT_IN_TOPIC: z.string().min(1).optional(),
    AGENT_OUT_TOPIC: z.string().min(1).optional(),
    AGENT_ERROR_TOPIC: z.string().min(1).optional(),
    /** The instances' channel for team news (assignments, presence, notes…); default `<slug>-operator-events`. */
    OPERATOR_EVENTS_TOPIC: z.string().min(1).optional(),
    /** Round robin among online operators, each up to AUTO_ASSIGN_CAPACITY open conversations. Off by default. */
    AUTO_ASSIGN: flag.default(false),
    AUTO_ASSIGN_CAPACITY: z.coerce.number().int().positive().default(5),
    /** An operator offline this long (ms) loses their conversations to the queue; 0 (default): never. */
    OFFLINE_RELEASE_AFTER_MS: z.coerce.number().int().min(0).default(0),
    /** How often each instance refreshes its presence entries and runs the upkeep above (ms). */
    PRESENCE_HEARTBEAT_MS: z.coerce.number().int().min(200).default(10_000),
    /** The admin's compacted topics: message templates per WABA, and business numbers (number → WABA). */
    TEMPLATE_CHANGES_TOPIC: z.string().min(1).default(defaultTopics.templateChanges),
    NUMBER_CHANGES_TOPIC: z.string().min(1).default(defaultTopics.numberChanges),
    MONGO_URL: z.string().startsWith('mongodb'),
    MONGO_DATABASE: z.string().min(1).default('agent-backend'),
    /**
     * Development only: the shared tokens (`OPERATOR_TOKENS`) still open the socket and the REST API, acting as the
     * first admin. Off by default; `.env.example` (pnpm dev) turns it on.
     */
    OPERATOR_DEV_TOKEN_AUTH: flag.default(false),
    /** The development tokens (comma-separated); required when OPERATOR_DEV_TOKEN_AUTH is on. */
    OPERATOR_TOKENS: z.preprocess((value) => (value === '' ? undefined : value), csv.optional()),
    /** The first admin, created at start when the database has no enabled admin. Together or not at all. */
    OPERATOR_ADMIN_EMAIL: z.preprocess((value) => (value === '' ? undefined : value), z.email().optional()),
    OPERATOR_ADMIN_PASSWORD: z.preprocess(
      (value) => (value === '' ? undefined : value),
      operatorPassword.optional(),
    ),
    OPERATOR_ADMIN_NAME: z.string().trim().min(1).default('Admin'),
    /** How long a sign-in lasts. */
    SESSION_TTL_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 30)
      .default(12),
    /** `Secure` on the session cookie: on behind HTTPS (the default); off for plain-HTTP development. */
    SESSION_COOKIE_SECURE: flag.default(true),
    /** Sign-in attempts per email and per client address in the window, all instances together (then 429). */
    SIGN_IN_MAX_PER_EMAIL: z.coerce.number().int().positive().default(5),
    SIGN_IN_MAX_PER_IP: z.coerce.number().int().positive().default(20),
    SIGN_IN_WINDOW_MS: z.coerce
      .number()
      .int()
      .positive()
      .default(15 * 60_000),
    /** Prefix of the consumer groups: `<prefix>-store` is shared, `<prefix>-push-<instance>` is per instance. */
    CONSUMER_GROUP_PREFIX: z.string().min(1).optional(),
    /** Identifies this instance's push group; main.ts falls back to the host name. */
    INSTANCE_ID: z
      .string()
      .regex(/^[a-zA-Z0-9._-]{1,100}$/)
      .optional(),
    /** Serve the built operator UI (apps/agent-frontend/dist) from this directory. */
    STATIC_DIR: z.string().min(1).optional(),
    /** The media service (issue 18): operators see and send files through it. Unset: no media in the inbox. */
    MEDIA_URL: z.preprocess((value) => (value === '' ? undefined : value), z.url().optional()),
    /** This agent's media credential: `pnpm --filter @wa-broker/media token <AGENT_SLUG>`. */
    MEDIA_TOKEN: z.preprocess((value) => (value === '' ? undefined : value), z.string().min(10).optional()),
    MEDIA_MAX_UPLOAD_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(100 * 1024 * 1024),
    /** Browser origins allowed to open the WebSocket; empty means same origin only. */
    ALLOWED_ORIGINS: csv.optional(),
  })
  .refine((env) => !env.OPERATOR_DEV_TOKEN_AUTH || Boolean(env.OPERATOR_TOKENS?.length), {
    message: 'OPERATOR_DEV_TOKEN_AUTH needs OPERATOR_TOKENS',
    path: ['OPERATOR_TOKENS'],
  })
  .refine((env) => Boolean(env.OPERATOR_ADMIN_EMAIL) === Boolean(env.OPERATOR_ADMIN_PASSWORD), {
    message: 'OPERATOR_ADMIN_EMAIL and OPERATOR_ADMIN_PASSWORD go together',
    path: ['OPERATOR_ADMIN_PASSWORD'],
  })
  .refine((env) => Boolean(env.MEDIA_URL) === Boolean(env.MEDIA_TOKEN), {
    message: 'MEDIA_URL and MEDIA_TOKEN go together',
    path: ['MEDIA_TOKEN'],
  })
  .transform((env) => {
    const slug = env.AGENT_SLUG;
    return {
      ...env,
      topics: {
        in: env.AGENT_IN_TOPIC ?? agentInTopic(slug),
        out: env.AGENT_OUT_TOPIC ?? agentOutTopic(slug),
        error: env.AGENT_ERROR_TOPIC ?? agentErrorTopic(slug),
      },
      operatorEventsTopic: env.OPERATOR_EVENTS_TOPIC ?? `${slug}-operator-events`,
      changeTopics: { templateChanges: env.TEMPLATE_CHANGES_TOPIC, numberChanges: env.NUMBER_CHANGES_TOPIC },
      groupPrefix: env.CONSUMER_GROUP_PREFIX ?? `${agentGroupPrefix(slug)}backend`,
    };
  });
export type ServiceConfig = z.infer<typeof serviceConfig>;
