import { numberTokenKey } from '@wa-broker/shared/business-numbers';
import { csv, flag, httpEnv, kafkaEnv, logEnv } from '@wa-broker/shared/config';
import { graphApiVersionSchema } from '@wa-broker/shared/graph-api-versions';
import { defaultAgentUsernamePrefix, defaultCoreNames } from '@wa-broker/shared/kafka-access';
import { defaultTopics, isValidTopicName } from '@wa-broker/shared/topics';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();
const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const topicName = (fallback: string) =>
  z.string().refine(isValidTopicName, 'is not a valid Kafka topic name').default(fallback);

export const serviceConfig = z.object({
  ...logEnv.shape,
  ...httpEnv.shape,
  ...kafkaEnv.shape,
  PORT: httpEnv.shape.PORT.default(8000),
  KAFKA_CLIENT_ID: z.string().min(1).default('wa-broker-admin'),
  /** Retries of a Kafka request (publish, topic creation) before the API call reports the failure. */
  KAFKA_RETRIES: z.coerce.number().int().min(0).default(8),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  /** Schema for the tables and the migration journal; tests use a fresh one per file. */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .default('public'),
  /** Bearer keys accepted by every endpoint except health and docs; comma-separated, at least 16 characters each. */
  ADMIN_API_KEYS: csv.pipe(z.array(z.string().min(16, 'each key needs at least 16 characters'))),
  AGENT_CHANGES_TOPIC: z.string().min(1).default(defaultTopics.agentChanges),
  /**
   * Issue each agent its own Kafka credential and ACLs (kafka-access.ts) on create, restore and rotate, and
   * delete them on delete (issue 24). Needs this admin's principal to ALTER the cluster. Off: agents get none.
   */
  AGENT_KAFKA_ACCESS: flag.default(true),
  /** The principals the ACLs of each agent's topics are granted to (the router, media and notify services). */
  KAFKA_ROUTER_USERNAME: z.string().min(1).default('router'),
  KAFKA_MEDIA_USERNAME: z.string().min(1).default('media'),
  KAFKA_NOTIFY_USERNAME: z.string().min(1).default('notify'),
  /** Agents' usernames are `<prefix><slug>`; another prefix keeps two deployments on one cluster apart. */
  KAFKA_AGENT_USERNAME_PREFIX: z.string().min(1).default(defaultAgentUsernamePrefix),
  /** Partitions of the `-in/-out/-error` topics created for a new agent. */
  AGENT_TOPIC_PARTITIONS: positiveInt.default(3),
  /** How often a failed agent- or number-change publish is retried by republishing every agent or number. */
  AGENT_RESYNC_INTERVAL_MS: positiveInt.default(30_000),
  /**
   * Seals the numbers' stored Graph tokens (AES-256-GCM): 32 random bytes in base64 (`openssl rand -base64 32`),
   * the router's too. Required; never logged.
   */
  NUMBER_TOKEN_KEY: numberTokenKey,
  NUMBER_CHANGES_TOPIC: z.string().min(1).default(defaultTopics.numberChanges),
  /** Compacted topic of every template's latest state (issue 19), keyed by `waba:name:language`. */
  TEMPLATE_CHANGES_TOPIC: topicName(defaultTopics.templateChanges),
  /** Where the webhook service publishes template status, quality and category updates. */
  BUSINESS_EVENTS_TOPIC: topicName(defaultTopics.businessEvents),
  /** The admin's own consumer group on BUSINESS_EVENTS_TOPIC. */
  TEMPLATE_EVENTS_GROUP_ID: z.string().min(1).default(defaultCoreNames.groups.adminTemplates),
  /** The router's records of every send and every status's pricing, keyed by wamid: the cost report's input. */
  MESSAGE_COSTS_TOPIC: topicName(defaultTopics.messageCosts),
  /** The admin's own consumer group on MESSAGE_COSTS_TOPIC. */
  MESSAGE_COSTS_GROUP_ID: z.string().min(1).default(defaultCoreNames.groups.adminCosts),
  /**
   * How often every WABA's templates are listed from Meta (also once at start). Meta allows 200 management
   * calls per hour per WABA (5,000 for active ones): a sync is one call per 100 templates.
   */
  TEMPLATE_SYNC_INTERVAL_MS: positiveInt.default(15 * 60_000),
  /**
   * The deployment's own number (the router's GRAPH_PHONE_NUMBER_ID) and its WABA: registered at start when no
   * number has that id (an operator's later edits win), so every service knows its WABA and its templates are
   * synced. Its token is the `secret` GRAPH_API_TOKEN (the router's, the media service's; set it here too for the
   * template sync). Either unset: nothing is registered.
   */
  GRAPH_PHONE_NUMBER_ID: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  GRAPH_WABA_ID: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  GRAPH_API_BASE_URL: z.preprocess(emptyAsUndefined, z.url().default('https://graph.facebook.com')),
  GRAPH_API_VERSION: z.preprocess(emptyAsUndefined, graphApiVersionSchema()),
  /** Per Graph API request (one listing page, a create, a delete, each call of a header sample's upload). */
  GRAPH_TIMEOUT_MS: positiveInt.default(30_000),
  /**
   * The Meta app whose Resumable Upload API (`/{app-id}/uploads`) takes template header samples given as
   * `header_media`; unset: such a create is answered 502 `graph_unavailable` (a handle still works).
   */
  META_APP_ID: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^\d{1,32}$/, 'must be Meta’s numeric app id')
      .optional(),
  ),
  RATE_LIMIT_MAX: positiveInt.default(300),
  RATE_LIMIT_WINDOW_MS: positiveInt.default(60_000),
});
export type AdminConfig = z.infer<typeof serviceConfig>;
