import { csv, httpEnv, kafkaEnv, logEnv } from '@wa-broker/shared/config';
import { defaultTopics, isValidTopicName } from '@wa-broker/shared/topics';
import { tracingEnv } from '@wa-broker/shared/tracing';
import { z } from 'zod';
import { batchProducerClients } from './adapters/batch-producer.js';

const topicName = (fallback: string) =>
  z.string().refine(isValidTopicName, 'is not a valid Kafka topic name').default(fallback);
const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

const MiB = 1024 * 1024;

export const serviceConfig = z.object({
  ...logEnv.shape,
  ...httpEnv.shape,
  ...kafkaEnv.shape,
  ...tracingEnv.shape,
  PORT: httpEnv.shape.PORT.default(5000),
  KAFKA_CLIENT_ID: z.string().min(1).default('wa-webhook'),
  /** The token typed in Meta's App Dashboard for the GET handshake. */
  META_VERIFY_TOKEN: z.string().min(1),
  /** App secrets, comma-separated; more than one while rotating. */
  META_APP_SECRETS: csv,
  WEBHOOK_TOPIC: topicName(defaultTopics.webhook),
  BUSINESS_EVENTS_TOPIC: topicName(defaultTopics.businessEvents),
  RAW_EVENT_LOG_TOPIC: topicName(defaultTopics.rawEventLog),
  /** Partitions of the topics this service creates (existing topics are left as they are). */
  WEBHOOK_TOPIC_PARTITIONS: positiveInt(6),
  /** -1 keeps every raw delivery forever (the replay source). */
  RAW_EVENT_LOG_RETENTION_MS: z.coerce.number().int().min(-1).default(-1),
  /** Meta sends at most 3 MB. */
  WEBHOOK_BODY_LIMIT_BYTES: positiveInt(6 * MiB),
  /** How long a POST waits for Kafka's ack before answering 503. */
  KAFKA_ACK_TIMEOUT_MS: positiveInt(3000),
  KAFKA_LINGER_MS: z.coerce.number().int().min(0).default(2),
  KAFKA_MAX_BATCH_BYTES: positiveInt(MiB),
  KAFKA_MAX_QUEUED_BYTES: positiveInt(64 * MiB),
  /**
   * The client that writes deliveries to Kafka. kafkajs by default: @platformatic/kafka spends less CPU per record
   * (README "Performance") but lost deliveries in the fault suite's broker kill on a 3-node cluster (the webhook
   * answered 503 until the end of the run), so it stays opt-in until that is understood.
   */
  WEBHOOK_KAFKA_CLIENT: z.enum(batchProducerClients).default('kafkajs'),
});
export type WebhookConfig = z.infer<typeof serviceConfig>;
