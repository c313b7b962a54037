import { notificationTopics } from './notifications.js';
import { defaultTopics } from './topics.js';

/**
 * Who may do what on the bus: the one definition of every principal's Kafka ACLs. The stack (`pnpm stack up`),
 * docker-compose's `kafka-access` job, the e2e harness and the admin (for each agent it creates) all apply what
 * these functions return, so a service's rights and an agent's isolation are decided here and nowhere else.
 *
 * The brokers run the KRaft StandardAuthorizer with `allow.everyone.if.no.acl.found=false`: what is not granted
 * here is refused. A principal needs READ on a group to join it, DESCRIBE on a topic to see it in metadata, and
 * (Kafka ≥ 2.8, KIP-679) WRITE on any topic for an idempotent producer.
 */
export type KafkaOperation = 'READ' | 'WRITE' | 'CREATE' | 'DESCRIBE' | 'ALTER' | 'DESCRIBE_CONFIGS';
export type KafkaResourceType = 'TOPIC' | 'GROUP' | 'TRANSACTIONAL_ID' | 'CLUSTER';

export interface KafkaGrant {
  /** `User:<name>`. */
  principal: string;
  resourceType: KafkaResourceType;
  /** `kafka-cluster` for CLUSTER. */
  resourceName: string;
  /** PREFIXED: every name starting with resourceName. */
  patternType: 'LITERAL' | 'PREFIXED';
  operations: readonly KafkaOperation[];
}

export const principalOf = (username: string): string => `User:${username}`;

/** What an agent's SCRAM username starts with unless the admin is told otherwise (KAFKA_AGENT_USERNAME_PREFIX). */
export const defaultAgentUsernamePrefix = 'agent-';

/**
 * The SCRAM username of an agent: `agent-<slug>` (slugs are `[a-zA-Z0-9._-]`). Another prefix keeps the agents of
 * two deployments sharing one cluster apart (an e2e run beside `pnpm dev`).
 */
export const agentUsername = (slug: string, prefix: string = defaultAgentUsernamePrefix): string =>
  `${prefix}${slug}`;

/**
 * Every consumer group of an agent starts with `<slug>:` (the SDK's `<slug>:agent`, the inbox's
 * `<slug>:backend-…`). The colon cannot occur in a slug, so no agent's prefix covers another agent's groups
 * (`sales-` would cover `sales-eu`'s).
 */
export const agentGroupPrefix = (slug: string): string => `${slug}:`;

/** The agent's own channel between inbox instances (agent-backend), `<slug>-operator-events` by default. */
export const agentOperatorEventsTopic = (slug: string): string => `${slug}-operator-events`;

/** A bot's private queue of command jobs (services/bot-agent), `<slug>-commands` by default. */
export const agentCommandsTopic = (slug: string): string => `${slug}-commands`;

export interface AgentAccess {
  slug: string;
  /** Default {@link defaultAgentUsernamePrefix}. */
  usernamePrefix?: string;
  topics: { in: string; out: string; error: string };
  /** Defaults to {@link agentOperatorEventsTopic}. */
  operatorEventsTopic?: string;
  /** Compacted public catalogues an agent may follow (templates and numbers; no personal data). */
  catalogTopics?: readonly string[];
}

/**
 * The core principals that serve every agent: the router writes `-in`/`-error` and reads `-out`, media reads
 * `-in` and adds `media_stored`/`media_unavailable` to `-in`/`-error`, notify's conversation log reads `-in`/`-out`.
 */
export interface AgentServingPrincipals {
  router: string;
  media: string;
  notify: string;
}

const topic = (principal: string, name: string, operations: readonly KafkaOperation[]): KafkaGrant => ({
  principal: principalOf(principal),
  resourceType: 'TOPIC',
  resourceName: name,
  patternType: 'LITERAL',
  operations,
});

const prefixed = (
  principal: string,
  resourceType: 'GROUP' | 'TRANSACTIONAL_ID' | 'TOPIC',
  prefix: string,
  operations: readonly KafkaOperation[],
): KafkaGrant => ({
  principal: principalOf(principal),
  resourceType,
  resourceName: prefix,
  patternType: 'PREFIXED',
  operations,
});

const reads: readonly KafkaOperation[] = ['READ', 'DESCRIBE'];
const writes: readonly KafkaOperation[] = ['WRITE', 'DESCRIBE'];
const owns: readonly KafkaOperation[] = ['READ', 'WRITE', 'DESCRIBE', 'CREATE', 'DESCRIBE_CONFIGS'];

/**
 * An agent's rights: read its `-in` and `-error`, write (and read back) its `-out`, its own work topics (the
 * inbox's channel, a bot's command queue), the public catalogues, and its own groups — nothing of another agent, nothing of the webhook's topics.
 */
export function agentGrants(access: AgentAccess): KafkaGrant[] {
  const user = agentUsername(access.slug, access.usernamePrefix);
  const catalogs = access.catalogTopics ?? [defaultTopics.templateChanges, defaultTopics.numberChanges];
  return [
    topic(user, access.topics.in, reads),
    topic(user, access.topics.error, reads),
    topic(user, access.topics.out, ['READ', 'WRITE', 'DESCRIBE']),
    topic(user, access.operatorEventsTopic ?? agentOperatorEventsTopic(access.slug), owns),
    topic(user, agentCommandsTopic(access.slug), owns),
    ...catalogs.map((name) => topic(user, name, reads)),
    prefixed(user, 'GROUP', agentGroupPrefix(access.slug), reads),
  ];
}

/** What the router, media and notify need on one agent's topics (granted with the agent's own rights). */
export function agentServingGrants(access: AgentAccess, serving: AgentServingPrincipals): KafkaGrant[] {
  const { topics } = access;
  return [
    topic(serving.router, topics.in, [...writes, 'CREATE']),
    topic(serving.router, topics.error, [...writes, 'CREATE']),
    topic(serving.router, topics.out, [...reads, 'CREATE']),
    topic(serving.media, topics.in, ['READ', 'WRITE', 'DESCRIBE', 'CREATE']),
    topic(serving.media, topics.error, [...writes, 'CREATE']),
    topic(serving.notify, topics.in, [...reads, 'CREATE']),
    topic(serving.notify, topics.out, [...reads, 'CREATE']),
  ];
}

/** The names the core services are configured with; {@link defaultCoreNames} are their defaults. */
export interface CoreNames {
  webhook: string;
  businessEvents: string;
  rawEventLog: string;
  agentChanges: string;
  numberChanges: string;
  templateChanges: string;
  messageCosts: string;
  routerOut: string;
  deadLetter: string;
  notificationsSend: string;
  notificationEvents: string;
  /** Group ids; each also prefixes the groups and transactional ids a service derives from it. */
  groups: {
    routerInbound: string;
    routerOutbound: string;
    routerNotifications: string;
    routerNotificationStatuses: string;
    adminTemplates: string;
    adminCosts: string;
    notifyEvents: string;
    notifyConversations: string;
    notifyTemplates: string;
    media: string;
  };
}

export const defaultCoreNames: CoreNames = {
  webhook: defaultTopics.webhook,
  businessEvents: defaultTopics.businessEvents,
  rawEventLog: defaultTopics.rawEventLog,
  agentChanges: defaultTopics.agentChanges,
  numberChanges: defaultTopics.numberChanges,
  templateChanges: defaultTopics.templateChanges,
  messageCosts: defaultTopics.messageCosts,
  routerOut: 'router-out',
  deadLetter: 'router-dead-letter',
  notificationsSend: notificationTopics.send,
  notificationEvents: notificationTopics.events,
  groups: {
    routerInbound: 'router-inbound',
    routerOutbound: 'router-outbound',
    routerNotifications: 'router-notifications',
    routerNotificationStatuses: 'router-notification-statuses',
    adminTemplates: 'admin-templates',
    adminCosts: 'admin-costs',
    notifyEvents: 'notify-events',
    notifyConversations: 'notify-conversations',
    /** notify's template catalogue followers, `notify-templates-<uuid>` (not configurable). */
    notifyTemplates: 'notify-templates',
    media: 'media-inbound',
  },
};

export type CoreService = 'webhook' | 'router' | 'admin' | 'notify' | 'media';
export const coreServices: readonly CoreService[] = ['webhook', 'router', 'admin', 'notify', 'media'];

/** The rights of each core service's principal (`usernames[service]`), for the topics and groups it is given. */
export function coreGrants(names: CoreNames, usernames: Record<CoreService, string>): KafkaGrant[] {
  const { groups } = names;
  const group = (user: string, id: string) => prefixed(user, 'GROUP', id, reads);
  const { webhook, router, admin, notify, media } = usernames;
  return [
    // The webhook only appends Meta's deliveries.
    ...[names.webhook, names.businessEvents, names.rawEventLog].map((name) =>
      topic(webhook, name, [...writes, 'CREATE']),
    ),
    // The router: the webhook log in, its own topics out (agents' topics come with each agent), transactions
    // whose ids start with its group ids (`<group>:<topic>:<partition>`), and its commit log `<group>-commits`.
    topic(router, names.webhook, [...reads, 'CREATE']),
    ...[names.routerOut, names.deadLetter, names.messageCosts, names.notificationEvents].map((name) =>
      topic(router, name, [...owns]),
    ),
    topic(router, names.notificationsSend, [...reads, 'CREATE']),
    ...[names.agentChanges, names.numberChanges, names.templateChanges].map((name) =>
      topic(router, name, [...reads, 'CREATE']),
    ),
    prefixed(router, 'TOPIC', `${groups.routerInbound}-commits`, owns),
    ...[
      groups.routerInbound,
      groups.routerOutbound,
      groups.routerNotifications,
      groups.routerNotificationStatuses,
    ].flatMap((id) => [group(router, id), prefixed(router, 'TRANSACTIONAL_ID', id, writes)]),
    // The admin owns the catalogues, reads Meta's business events and the cost records, and manages access:
    // agents' topics, credentials (AlterUserScramCredentials) and ACLs need CREATE and ALTER on the cluster.
    ...[names.agentChanges, names.numberChanges, names.templateChanges].map((name) =>
      topic(admin, name, owns),
    ),
    // Every agent's topics are the admin's to create and describe (LITERAL `*` is Kafka's any-topic resource).
    topic(admin, '*', ['DESCRIBE', 'CREATE']),
    topic(admin, names.businessEvents, [...reads, 'CREATE']),
    topic(admin, names.messageCosts, [...reads, 'CREATE']),
    group(admin, groups.adminTemplates),
    group(admin, groups.adminCosts),
    {
      principal: principalOf(admin),
      resourceType: 'CLUSTER',
      resourceName: 'kafka-cluster',
      patternType: 'LITERAL',
      operations: ['CREATE', 'ALTER', 'DESCRIBE'],
    },
    // Notify: accepted notifications out, their events and the conversation log in.
    topic(notify, names.notificationsSend, [...writes, 'CREATE']),
    topic(notify, names.notificationEvents, owns),
    ...[names.webhook, names.routerOut, names.agentChanges, names.templateChanges].map((name) =>
      topic(notify, name, [...reads, 'CREATE']),
    ),
    group(notify, groups.notifyEvents),
    group(notify, groups.notifyConversations),
    group(notify, groups.notifyTemplates),
    // Media: the catalogues (agents' `-in` come with each agent).
    ...[names.agentChanges, names.numberChanges].map((name) => topic(media, name, [...reads, 'CREATE'])),
    group(media, groups.media),
  ];
}
