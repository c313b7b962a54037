import { agentMediaToken } from '@wa-broker/shared/media-access';
import { agentSlug } from '@wa-broker/shared/topics';

/** The environment of each service of an e2e system; one function per service, names unique to the run. */
export interface SystemNames {
  runId: string;
  prefix: string;
  agentName: string;
  agentTopics: { in: string; out: string; error: string };
  adminKey: string;
  operatorToken: string;
  /** The agent backend's first admin (OPERATOR_ADMIN_EMAIL / _PASSWORD): sign in as them, or create operators. */
  operatorAdmin: { email: string; password: string };
}

export const secrets = {
  appSecret: 'e2e_app_secret_0123456789',
  graphToken: 'e2e_graph_token_0123456789',
  verifyToken: 'e2e_verify_token',
  /** NUMBER_TOKEN_KEY (base64 of 32 bytes): an e2e-only development key, it seals the numbers' Graph tokens. */
  numberTokenKey: Buffer.from('wa-broker-e2e-ONLY-number-key-32', 'utf8').toString('base64'),
  /** MEDIA_SIGNING_KEY: derives each agent's media credential (shared/media-access.ts). */
  mediaSigningKey: 'wa-broker-e2e-ONLY-media-signing-key-0123',
};
export const phoneNumberId = '106540352242922';
/** The simulator's default WABA (SIM_WABA_ID), which `phoneNumberId` belongs to. */
export const simulatorWabaId = '102290129340398';

export function systemNames(runId: string): SystemNames {
  const agentSlug = `e2e_${runId}`;
  return {
    runId,
    prefix: `e2e-${runId}`,
    agentName: `E2E ${runId}`,
    agentTopics: { in: `${agentSlug}-in`, out: `${agentSlug}-out`, error: `${agentSlug}-error` },
    adminKey: `e2e-admin-key-${runId}-0123456789`,
    operatorToken: `e2e-operator-${runId}`,
    operatorAdmin: { email: `admin-${runId}@e2e.example.com`, password: `e2e-admin-${runId}-password` },
  };
}

export function adminEnv(names: SystemNames, databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: `e2e_${names.runId}`,
    AGENT_CHANGES_TOPIC: `${names.prefix}-agent-changes`,
    NUMBER_CHANGES_TOPIC: `${names.prefix}-number-changes`,
    NUMBER_TOKEN_KEY: secrets.numberTokenKey,
    ADMIN_API_KEYS: names.adminKey,
    // Templates (issue 19): this run's topics and group, never the ones `pnpm dev` uses.
    TEMPLATE_CHANGES_TOPIC: `${names.prefix}-template-changes`,
    BUSINESS_EVENTS_TOPIC: `${names.prefix}-business`,
    TEMPLATE_EVENTS_GROUP_ID: `${names.prefix}-admin-templates`,
    MESSAGE_COSTS_TOPIC: `${names.prefix}-message-costs`,
    MESSAGE_COSTS_GROUP_ID: `${names.prefix}-admin-costs`,
  };
}

export function webhookEnv(names: SystemNames): Record<string, string> {
  return {
    META_VERIFY_TOKEN: secrets.verifyToken,
    META_APP_SECRETS: secrets.appSecret,
    WEBHOOK_TOPIC: `${names.prefix}-webhook`,
    BUSINESS_EVENTS_TOPIC: `${names.prefix}-business`,
    RAW_EVENT_LOG_TOPIC: `${names.prefix}-raw`,
  };
}

export function simulatorEnv(webhookUrl: string): Record<string, string> {
  return {
    SIM_WEBHOOK_URL: webhookUrl,
    SIM_APP_SECRET: secrets.appSecret,
    SIM_ACCESS_TOKENS: secrets.graphToken,
    SIM_PHONE_NUMBER_ID: phoneNumberId,
    SIM_STATUS_SENT_MS: '50',
    SIM_STATUS_DELIVERED_MS: '150',
    SIM_STATUS_READ_MS: '300',
    SIM_DELIVERY_BACKOFF_MS: '100',
  };
}

/** Every topic and consumer group of the router named for the run (its defaults are `pnpm dev`'s). */
export function routerEnv(names: SystemNames, redisUrl: string, graphUrl: string): Record<string, string> {
  return {
    ...notificationTopicsEnv(names),
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `${names.prefix}:`,
    WEBHOOK_TOPIC: `${names.prefix}-webhook`,
    AGENT_CHANGES_TOPIC: `${names.prefix}-agent-changes`,
    NUMBER_CHANGES_TOPIC: `${names.prefix}-number-changes`,
    NUMBER_TOKEN_KEY: secrets.numberTokenKey,
    ROUTER_OUT_TOPIC: `${names.prefix}-router-out`,
    DEAD_LETTER_TOPIC: `${names.prefix}-dead-letter`,
    TEMPLATE_CHANGES_TOPIC: `${names.prefix}-template-changes`,
    MESSAGE_COSTS_TOPIC: `${names.prefix}-message-costs`,
    INBOUND_GROUP_ID: `${names.prefix}-router-in`,
    OUTBOUND_GROUP_ID: `${names.prefix}-router-out`,
    GRAPH_API_BASE_URL: graphUrl,
    GRAPH_PHONE_NUMBER_ID: phoneNumberId,
    GRAPH_API_TOKEN: secrets.graphToken,
    SEND_BACKOFF_BASE_MS: '100',
  };
}

/** The run's bucket on the stack's S3 server (createTestBucket), the simulator as Meta. */
export function mediaEnv(
  names: SystemNames,
  bucket: { bucket: string; endpoint: string; region: string; accessKeyId: string; secretAccessKey: string },
  graphUrl: string,
): Record<string, string> {
  return {
    AGENT_CHANGES_TOPIC: `${names.prefix}-agent-changes`,
    NUMBER_CHANGES_TOPIC: `${names.prefix}-number-changes`,
    MEDIA_GROUP_ID: `${names.prefix}-media`,
    S3_ENDPOINT: bucket.endpoint,
    S3_REGION: bucket.region,
    S3_BUCKET: bucket.bucket,
    S3_ACCESS_KEY_ID: bucket.accessKeyId,
    S3_SECRET_ACCESS_KEY: bucket.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
    GRAPH_API_BASE_URL: graphUrl,
    GRAPH_PHONE_NUMBER_ID: phoneNumberId,
    GRAPH_API_TOKEN: secrets.graphToken,
    NUMBER_TOKEN_KEY: secrets.numberTokenKey,
    MEDIA_SIGNING_KEY: secrets.mediaSigningKey,
    MEDIA_BACKOFF_BASE_MS: '100',
    MEDIA_BACKOFF_MAX_MS: '1000',
  };
}

/** The e2e agent's media credential: the admin names it by the slug of its name. */
export const agentMediaTokenOf = (names: SystemNames): string =>
  agentMediaToken(secrets.mediaSigningKey, agentSlug(names.agentName));

export function agentBackendEnv(names: SystemNames, mongoUrl: string): Record<string, string> {
  return {
    AGENT_NAME: names.agentName,
    AGENT_IN_TOPIC: names.agentTopics.in,
    AGENT_OUT_TOPIC: names.agentTopics.out,
    AGENT_ERROR_TOPIC: names.agentTopics.error,
    MONGO_URL: mongoUrl,
    MONGO_DATABASE: `e2e_${names.runId}`,
    // The browser tests open the inbox with ?token= (development token); the team tests sign in as the admin.
    OPERATOR_DEV_TOKEN_AUTH: 'true',
    OPERATOR_TOKENS: names.operatorToken,
    OPERATOR_ADMIN_EMAIL: names.operatorAdmin.email,
    OPERATOR_ADMIN_PASSWORD: names.operatorAdmin.password,
    SESSION_COOKIE_SECURE: 'false',
    // The agent's slug as the admin derives it: its credential opens groups `<slug>:…` and `<slug>-operator-events`
    // (this run's own; pnpm dev's agent is agent_A), so the defaults built on it are used.
    AGENT_SLUG: agentSlug(names.agentName),
    INSTANCE_ID: 'e2e',
    TEMPLATE_CHANGES_TOPIC: `${names.prefix}-template-changes`,
    NUMBER_CHANGES_TOPIC: `${names.prefix}-number-changes`,
  };
}

/** Per-user limits high enough that steady load measures the broker, not Meta's pair limit. */
export const loadLimits = {
  router: { RATE_LIMIT_PAIR_BURST: '1000', RATE_LIMIT_PAIR_PER_SECOND: '100' },
  simulator: { SIM_PAIR_BURST: '1000', SIM_PAIR_PER_SECOND: '100' },
};

/**
 * Consumer-group timing for the scenarios that kill routers. After a kill -9 a group hands the dead member's
 * partitions out only once its session expires, and a router relaunched meanwhile is ready only then: 4 s
 * here (a heartbeat every second) instead of kafkajs' 30 s. Read by the router's config.
 */
export const quickGroupEnv = { KAFKA_SESSION_TIMEOUT_MS: '4000', KAFKA_HEARTBEAT_INTERVAL_MS: '1000' };

/** The notification topics of this run, for the router and notify alike. */
export function notificationTopicsEnv(names: SystemNames): Record<string, string> {
  return {
    NOTIFICATIONS_SEND_TOPIC: `${names.prefix}-notifications-send`,
    NOTIFICATION_EVENTS_TOPIC: `${names.prefix}-notification-events`,
    NOTIFY_SEND_GROUP_ID: `${names.prefix}-router-notifications`,
    NOTIFY_STATUS_GROUP_ID: `${names.prefix}-router-notification-statuses`,
  };
}

export function notifyEnv(names: SystemNames, databaseUrl: string, redisUrl: string): Record<string, string> {
  const { NOTIFICATIONS_SEND_TOPIC, NOTIFICATION_EVENTS_TOPIC } = notificationTopicsEnv(names);
  return {
    NOTIFICATIONS_SEND_TOPIC: NOTIFICATIONS_SEND_TOPIC ?? '',
    NOTIFICATION_EVENTS_TOPIC: NOTIFICATION_EVENTS_TOPIC ?? '',
    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: `e2e_notify_${names.runId}`,
    EVENTS_GROUP_ID: `${names.prefix}-notify-events`,
    NOTIFY_API_KEYS: `e2e-notify-key-${names.runId}-0123456789`,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `${names.prefix}:`,
    DISPATCH_INTERVAL_MS: '200',
    // The call-event log reads the router's topics of this run (agents' -in/-out come from agent-changes).
    WEBHOOK_TOPIC: `${names.prefix}-webhook`,
    AGENT_CHANGES_TOPIC: `${names.prefix}-agent-changes`,
    ROUTER_OUT_TOPIC: `${names.prefix}-router-out`,
    CONVERSATIONS_GROUP_ID: `${names.prefix}-notify-conversations`,
    TEMPLATE_CHANGES_TOPIC: `${names.prefix}-template-changes`,
    // The simulator's WABA, whose templates notifications use (the admin syncs it once the number is registered).
    NOTIFICATIONS_WABA_ID: simulatorWabaId,
  };
}
