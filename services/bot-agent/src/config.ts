import { topicName } from '@wa-broker/shared/agents';
import { kafkaEnv, logEnv, port } from '@wa-broker/shared/config';
import { tracingEnv } from '@wa-broker/shared/tracing';
import { z } from 'zod';

const count = (value: number) => z.coerce.number().int().positive().default(value);

export const serviceConfig = z
  .object({
    ...logEnv.shape,
    ...kafkaEnv.shape,
    ...tracingEnv.shape,
    HOST: z.string().min(1).default('127.0.0.1'),
    /** Health endpoints only (`/healthz`, `/readyz`). */
    PORT: port.default(7200),
    KAFKA_PARTITIONS: count(3),
    BOT_AGENT_NAME: z.string().min(1).default('Command Bot'),
    BOT_AGENT_DESCRIPTION: z
      .string()
      .default('Order status and prices: /help, /status <order>, /quote <symbol>'),
    /** With both set, the bot finds or creates its agent through the admin's v2 API and uses its topics. */
    ADMIN_URL: z.string().url().optional(),
    ADMIN_API_KEY: z.string().min(1).optional(),
    /** Without the admin: explicit topics, else `<slug>-in/-out/-error` of BOT_AGENT_NAME. */
    BOT_IN_TOPIC: topicName.optional(),
    BOT_OUT_TOPIC: topicName.optional(),
    BOT_ERROR_TOPIC: topicName.optional(),
    /** Default `<slug>:bot`; the agent's Kafka credentials open only groups starting with `<slug>:`. */
    BOT_GROUP_ID: z.string().min(1).optional(),
    /** The bot's internal queue of signed command jobs; default `<slug>-commands`. */
    COMMAND_TOPIC: topicName.optional(),
    /** Default `<slug>:commands`. */
    COMMAND_GROUP_ID: z.string().min(1).optional(),
    COMMAND_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters'),
    COMMAND_TOKEN_TTL_SECONDS: count(60),
    BACKEND_API_URL: z.string().url().default('http://127.0.0.1:7300/'),
    BACKEND_API_TIMEOUT_MS: count(3000),
  })
  .refine((config) => Boolean(config.ADMIN_URL) === Boolean(config.ADMIN_API_KEY), {
    message: 'ADMIN_URL and ADMIN_API_KEY go together',
    path: ['ADMIN_API_KEY'],
  });
export type BotConfig = z.infer<typeof serviceConfig>;
