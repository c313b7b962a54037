import { numberTokenKey } from '@wa-broker/shared/business-numbers';
import { flag, httpEnv, kafkaEnv, logEnv } from '@wa-broker/shared/config';
import { graphApiVersionSchema } from '@wa-broker/shared/graph-api-versions';
import { defaultCoreNames } from '@wa-broker/shared/kafka-access';
import { metaMediaLimits } from '@wa-broker/shared/meta-media-rules';
import { defaultTopics, isValidTopicName } from '@wa-broker/shared/topics';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();
const topicName = (fallback: string) =>
  z.string().refine(isValidTopicName, 'is not a valid Kafka topic name').default(fallback);
const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

export const serviceConfig = z.object({
  ...logEnv.shape,
  ...httpEnv.shape,
  ...kafkaEnv.shape,
  PORT: httpEnv.shape.PORT.default(8300),
  KAFKA_CLIENT_ID: z.string().min(1).default('wa-media'),
  KAFKA_PARTITIONS: positiveInt.default(3),
  AGENT_CHANGES_TOPIC: topicName(defaultTopics.agentChanges),
  NUMBER_CHANGES_TOPIC: topicName(defaultTopics.numberChanges),
  /** The group reading every agent's `-in` topic for media to store. */
  MEDIA_GROUP_ID: z.string().min(1).default(defaultCoreNames.groups.media),
  /** How long the group waits for a silent instance (kill -9) before its partitions move to another. */
  KAFKA_SESSION_TIMEOUT_MS: positiveInt.default(30_000),

  /** Any S3 API: empty endpoint = AWS; the local stack's S3Proxy, MinIO in docker-compose. */
  S3_ENDPOINT: z.preprocess(emptyAsUndefined, z.url().optional()),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
  S3_ACCESS_KEY_ID: z.string().min(1),
  S3_SECRET_ACCESS_KEY: z.string().min(1),
  /** Path-style URLs (`endpoint/bucket/key`): S3Proxy and MinIO need them. */
  S3_FORCE_PATH_STYLE: flag.default(true),
  /** Create the bucket at start when it is missing (local stacks); off where buckets are provisioned. */
  S3_CREATE_BUCKET: flag.default(false),

  GRAPH_API_BASE_URL: z.preprocess(emptyAsUndefined, z.url().default('https://graph.facebook.com')),
  GRAPH_API_VERSION: graphApiVersionSchema(),
  /** The default number and its token, as the router's (media of users who wrote to it). */
  GRAPH_PHONE_NUMBER_ID: z.string().min(1),
  GRAPH_API_TOKEN: z.string().min(1),
  NUMBER_TOKEN_KEY: z.preprocess(emptyAsUndefined, numberTokenKey.optional()),
  GRAPH_TIMEOUT_MS: positiveInt.default(60_000),

  /** Derives each agent's media credential (media-access.ts); 32+ characters, the same in every media instance. */
  MEDIA_SIGNING_KEY: z.string().min(32, 'needs at least 32 characters'),
  /** Files downloaded at once by one instance. */
  MEDIA_CONCURRENCY: positiveInt.default(4),
  /** Attempts for one file against Meta (lookup + download) before the agent gets `media_unavailable`. */
  MEDIA_FETCH_ATTEMPTS: positiveInt.default(6),
  MEDIA_BACKOFF_BASE_MS: positiveInt.default(500),
  MEDIA_BACKOFF_MAX_MS: positiveInt.default(30_000),
  /** Inbound files larger than this are not stored (Meta's own cap is 100 MB). */
  MEDIA_MAX_INBOUND_BYTES: positiveInt.default(metaMediaLimits.inboundMaxBytes),
  /** Uploads larger than this are refused before Meta's per-type limits are checked. */
  MEDIA_MAX_UPLOAD_BYTES: positiveInt.default(100 * 1024 * 1024),
  /** Days a file is kept; 0 keeps files forever. Swept once an hour. */
  MEDIA_RETENTION_DAYS: z.coerce.number().int().min(0).default(0),
  /** A GET for a file not stored yet waits up to this long (`?wait=<ms>`, capped here) before 404. */
  MEDIA_WAIT_MAX_MS: z.coerce.number().int().min(0).default(20_000),
});
export type MediaConfig = z.infer<typeof serviceConfig>;
