import { numberTokenKey } from '@wa-broker/shared/business-numbers';
import { httpEnv, kafkaEnv, logEnv } from '@wa-broker/shared/config';
import { graphApiVersionSchema } from '@wa-broker/shared/graph-api-versions';
import { defaultCoreNames } from '@wa-broker/shared/kafka-access';
import { metaThroughput } from '@wa-broker/shared/meta-throughput';
import { notificationTopics } from '@wa-broker/shared/notifications';
import { defaultTopics } from '@wa-broker/shared/topics';
import { tracingEnv } from '@wa-broker/shared/tracing';
import { z } from 'zod';

const seconds = (value: number) => z.coerce.number().positive().default(value);
const count = (value: number) => z.coerce.number().int().positive().default(value);
const text = (value: string) => z.string().min(1).default(value);

export const serviceConfig = z.object({
  ...logEnv.shape,
  ...httpEnv.shape,
  ...kafkaEnv.shape,
  ...tracingEnv.shape,
  // Not 6000: the fetch standard blocks it (X11), so health probes written with fetch could never reach us.
  PORT: httpEnv.shape.PORT.default(6100),
  KAFKA_PARTITIONS: count(3),
  WEBHOOK_TOPIC: text(defaultTopics.webhook),
  AGENT_CHANGES_TOPIC: text(defaultTopics.agentChanges),
  /** The admin's business numbers (shared/business-numbers.ts); GRAPH_PHONE_NUMBER_ID serves when none is. */
  NUMBER_CHANGES_TOPIC: text(defaultTopics.numberChanges),
  TEMPLATE_CHANGES_TOPIC: text(defaultTopics.templateChanges),
  /** Opens the Graph tokens the admin stored sealed; unset: only numbers whose token is a named secret send. */
  NUMBER_TOKEN_KEY: numberTokenKey.optional(),
  /** The router's own messages to users (menu, notices), sent by the same rate-limited sender. */
  ROUTER_OUT_TOPIC: text(defaultCoreNames.routerOut),
  DEAD_LETTER_TOPIC: text(defaultCoreNames.deadLetter),
  MESSAGE_COSTS_TOPIC: text(defaultTopics.messageCosts),
  INBOUND_GROUP_ID: text(defaultCoreNames.groups.routerInbound),
  OUTBOUND_GROUP_ID: text(defaultCoreNames.groups.routerOutbound),
  /** Notification sends from services/notify, and their statuses (README: Notifications). */
  NOTIFICATIONS_SEND_TOPIC: text(notificationTopics.send),
  NOTIFICATION_EVENTS_TOPIC: text(notificationTopics.events),
  NOTIFY_SEND_GROUP_ID: text(defaultCoreNames.groups.routerNotifications),
  NOTIFY_STATUS_GROUP_ID: text(defaultCoreNames.groups.routerNotificationStatuses),
  NOTIFY_SEND_CONCURRENCY: count(8),
  REDIS_URL: z.string().url(),
  REDIS_KEY_PREFIX: z.string().default('wa:'),
  GRAPH_API_BASE_URL: z.string().url().default('https://graph.facebook.com'),
  /** A version Meta still serves; unset: the shared default (packages/shared/src/graph-api-versions.ts). */
  GRAPH_API_VERSION: graphApiVersionSchema(),
  /** The default number: replies to users who wrote to no registered number, and notifications. */
  GRAPH_PHONE_NUMBER_ID: z.string().min(1),
  GRAPH_API_TOKEN: z.string().min(1),
  GRAPH_TIMEOUT_MS: count(10_000),
  RATE_LIMIT_PER_NUMBER: count(metaThroughput.defaultPerSecond),
  /**
   * The business portfolio's messaging limit (250, 2000, 10000, 100000 unique users per 24 h, Meta's tier),
   * shared by every number: business-initiated sends beyond it are refused before Meta. 0: not enforced here.
   */
  PORTFOLIO_MESSAGING_LIMIT: z.coerce.number().int().min(0).default(0),
  /**
   * Added (ms) to Meta's 1 s window when counting a number's sends (domain/send-slots.ts): a send's place is held
   * from its answer, so no jitter needs a margin; this one is for a Meta whose clock would run fast.
   */
  RATE_LIMIT_WINDOW_GUARD_MS: z.coerce.number().int().min(0).default(0),
  RATE_LIMIT_PAIR_PER_SECOND: z.coerce
    .number()
    .positive()
    .default(1 / 6),
  RATE_LIMIT_PAIR_BURST: count(10),
  SEND_MAX_ATTEMPTS: count(5),
  SEND_BACKOFF_BASE_MS: count(500),
  SEND_BACKOFF_MAX_MS: count(30_000),
  /** How long a claim on an outbound message outlives its router; default: the longest send with retries + 1 min. */
  SEND_CLAIM_LEASE_SECONDS: z.coerce.number().positive().optional(),
  /**
   * Kafka transactions (consume → route → produce): a transaction a crashed router left open is aborted at
   * once when another router takes its partition over; this bounds it when nobody does.
   */
  KAFKA_TRANSACTION_TIMEOUT_MS: count(30_000),
  /**
   * How long the group waits for a silent router before its partitions go to another (kill -9, a lost machine).
   * Until then the crashed router's open transactions hold back read_committed consumers of what it wrote.
   */
  KAFKA_SESSION_TIMEOUT_MS: count(30_000),
  /** Heartbeats to the group; unset: a third of the session timeout, at most kafkajs' 3 s. */
  KAFKA_HEARTBEAT_INTERVAL_MS: z.coerce.number().int().positive().optional(),
  /** A send whose router died after the Graph call: reported as "delivery unknown" if no status names it by then. */
  SEND_UNKNOWN_AFTER_SECONDS: seconds(120),
  SESSION_TTL_SECONDS: seconds(86_400),
  DEDUP_TTL_SECONDS: seconds(8 * 86_400),
  WAMID_TTL_SECONDS: seconds(30 * 86_400),
  MENU_GREETING: text('Hello! Who would you like to talk to?'),
  MENU_BUTTON: text('Choose an agent'),
  MENU_SECTION_TITLE: text('Available agents'),
  MENU_MORE: text('More agents…'),
  MENU_FIRST_PAGE: text('Back to the start'),
  MENU_FOOTER: z.string().optional(),
  EXIT_KEYWORD: text('#exit'),
  TEXT_GOODBYE: text('Conversation finished. Going back to the main menu.'),
  TEXT_CONNECTING: text('Connecting you to {agent}.'),
  TEXT_AGENT_UNAVAILABLE: text('{agent} is no longer available.'),
  TEXT_NO_AGENTS: text('Sorry, no one is available right now. Please try again later.'),
  TEXT_ENDED_BY_AGENT: text('{agent} ended the conversation.'),
  TEXT_TRANSFERRED: text('You are now talking to {agent}.'),
});
export type RouterConfig = z.infer<typeof serviceConfig>;

/** Session and heartbeat of every consumer group the router joins (a killed router's partitions move after it). */
export function groupTiming(config: RouterConfig) {
  return {
    sessionTimeout: config.KAFKA_SESSION_TIMEOUT_MS,
    heartbeatInterval:
      config.KAFKA_HEARTBEAT_INTERVAL_MS ?? Math.min(3000, Math.floor(config.KAFKA_SESSION_TIMEOUT_MS / 3)),
  };
}
