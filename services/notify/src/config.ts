import { csv, httpEnv, kafkaEnv, logEnv } from '@wa-broker/shared/config';
import { defaultCoreNames } from '@wa-broker/shared/kafka-access';
import { notificationTopics } from '@wa-broker/shared/notifications';
import { defaultTopics, isValidTopicName } from '@wa-broker/shared/topics';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();
const topicName = (fallback: string) =>
  z.string().refine(isValidTopicName, 'is not a valid Kafka topic name').default(fallback);

export const serviceConfig = z.object({
  ...logEnv.shape,
  ...httpEnv.shape,
  ...kafkaEnv.shape,
  PORT: httpEnv.shape.PORT.default(8100),
  KAFKA_CLIENT_ID: z.string().min(1).default('wa-broker-notify'),
  KAFKA_PARTITIONS: positiveInt.default(3),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  /** Schema for the tables and the migration journal; tests use a fresh one per file. */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .default('notify'),
  /** Bearer keys accepted by every endpoint except health and docs; comma-separated, 16+ characters each. */
  NOTIFY_API_KEYS: csv.pipe(z.array(z.string().min(16, 'each key needs at least 16 characters'))),
  NOTIFICATIONS_SEND_TOPIC: topicName(notificationTopics.send),
  NOTIFICATION_EVENTS_TOPIC: topicName(notificationTopics.events),
  /** Consumer group reading the router's status changes back into PostgreSQL. */
  EVENTS_GROUP_ID: z.string().min(1).default(defaultCoreNames.groups.notifyEvents),
  /** Where the router looks for cancellations: the router's Redis and its REDIS_KEY_PREFIX. */
  REDIS_URL: z.url(),
  REDIS_KEY_PREFIX: z.string().default('wa:'),
  /** How often the dispatcher looks for due scheduled notifications and unsent requests. */
  DISPATCH_INTERVAL_MS: positiveInt.default(1000),
  /**
   * Recipients published per dispatcher round (one transaction each). Large: the router takes a round's send
   * requests as one batch per partition and fetches the next only when every send of it ended, so each round's
   * end leaves places in the number's window idle for a moment (500: 0.95 of the limit, 2000: 0.97; issue 22).
   */
  DISPATCH_BATCH_SIZE: positiveInt.default(2000),
  MAX_RECIPIENTS: positiveInt.default(10_000),
  /** The call-event log reads these (the router's topics) plus every agent's `-in` and `-out`. */
  WEBHOOK_TOPIC: topicName(defaultTopics.webhook),
  AGENT_CHANGES_TOPIC: topicName(defaultTopics.agentChanges),
  ROUTER_OUT_TOPIC: topicName(defaultCoreNames.routerOut),
  CONVERSATIONS_GROUP_ID: z.string().min(1).default(defaultCoreNames.groups.notifyConversations),
  /**
   * The WhatsApp Business Account of the number notifications leave from: its templates (the admin's store, on
   * TEMPLATE_CHANGES_TOPIC) are checked before a notification is accepted. Unset: only Meta checks them.
   */
  NOTIFICATIONS_WABA_ID: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().min(1).optional(),
  ),
  TEMPLATE_CHANGES_TOPIC: topicName(defaultTopics.templateChanges),
});
export type NotifyConfig = z.infer<typeof serviceConfig>;
