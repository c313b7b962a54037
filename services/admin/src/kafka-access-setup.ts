import { flag, kafkaEnv, logEnv } from '@wa-broker/shared/config';
import {
  agentGrants,
  agentServingGrants,
  agentUsername,
  type CoreNames,
  type CoreService,
  coreGrants,
  coreServices,
  defaultAgentUsernamePrefix,
  defaultCoreNames,
} from '@wa-broker/shared/kafka-access';
import type { KafkaPrincipal } from '@wa-broker/shared/kafka-provisioning';
import { agentErrorTopic, agentInTopic, agentOutTopic } from '@wa-broker/shared/topics';
import { z } from 'zod';

const secret = z.string().min(12, 'must be at least 12 characters');

/** Each service variable that names shared state, and where it sits in CoreNames. */
const nameVariables = {
  WEBHOOK_TOPIC: 'webhook',
  BUSINESS_EVENTS_TOPIC: 'businessEvents',
  RAW_EVENT_LOG_TOPIC: 'rawEventLog',
  AGENT_CHANGES_TOPIC: 'agentChanges',
  NUMBER_CHANGES_TOPIC: 'numberChanges',
  TEMPLATE_CHANGES_TOPIC: 'templateChanges',
  MESSAGE_COSTS_TOPIC: 'messageCosts',
  ROUTER_OUT_TOPIC: 'routerOut',
  DEAD_LETTER_TOPIC: 'deadLetter',
  NOTIFICATIONS_SEND_TOPIC: 'notificationsSend',
  NOTIFICATION_EVENTS_TOPIC: 'notificationEvents',
  INBOUND_GROUP_ID: 'groups.routerInbound',
  OUTBOUND_GROUP_ID: 'groups.routerOutbound',
  NOTIFY_SEND_GROUP_ID: 'groups.routerNotifications',
  NOTIFY_STATUS_GROUP_ID: 'groups.routerNotificationStatuses',
  TEMPLATE_EVENTS_GROUP_ID: 'groups.adminTemplates',
  MESSAGE_COSTS_GROUP_ID: 'groups.adminCosts',
  EVENTS_GROUP_ID: 'groups.notifyEvents',
  CONVERSATIONS_GROUP_ID: 'groups.notifyConversations',
  MEDIA_GROUP_ID: 'groups.media',
} as const;
type NameVariable = keyof typeof nameVariables;

/**
 * `pnpm --filter @wa-broker/admin kafka-access`: the deployment's core principals, run once per cluster (and again
 * after a password change) by whoever holds the cluster's administrator credential (KAFKA_USERNAME/PASSWORD):
 * docker-compose's `kafka-access` job, `pnpm stack up` for `pnpm dev`, a Kubernetes Job. Agents' credentials are
 * the admin service's to issue; SEED_AGENT_* only gives the demo agent (seeded by migration 0001) its own.
 */
export const accessSetupConfig = z.object({
  ...logEnv.shape,
  ...kafkaEnv.shape,
  WEBHOOK_KAFKA_USERNAME: z.string().min(1).default('webhook'),
  WEBHOOK_KAFKA_PASSWORD: secret,
  ROUTER_KAFKA_USERNAME: z.string().min(1).default('router'),
  ROUTER_KAFKA_PASSWORD: secret,
  ADMIN_KAFKA_USERNAME: z.string().min(1).default('admin-service'),
  ADMIN_KAFKA_PASSWORD: secret,
  NOTIFY_KAFKA_USERNAME: z.string().min(1).default('notify'),
  NOTIFY_KAFKA_PASSWORD: secret,
  MEDIA_KAFKA_USERNAME: z.string().min(1).default('media'),
  MEDIA_KAFKA_PASSWORD: secret,
  /** The admin's KAFKA_AGENT_USERNAME_PREFIX: the seeded agent's username is `<prefix><slug>`. */
  KAFKA_AGENT_USERNAME_PREFIX: z.string().min(1).default(defaultAgentUsernamePrefix),
  /** The demo agent (`agent_A`) and its secret; both or neither. */
  SEED_AGENT_SLUG: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,200}$/)
    .optional(),
  SEED_AGENT_KAFKA_PASSWORD: secret.optional(),
  /**
   * The deployment's topic and group names, under the variable names the services read (unset: their defaults,
   * defaultCoreNames): the grants name exactly what the services use.
   */
  ...Object.fromEntries(Object.keys(nameVariables).map((name) => [name, z.string().min(1).optional()])),
  /**
   * Upgrading: `old=new,…` commits each old consumer group's offsets as the new group's (an agent's groups now
   * start with `<slug>:`: `agent_A-agent=agent_A:agent`), so a renamed group does not read its topics again.
   */
  COPY_GROUP_OFFSETS: z.string().optional(),
  /** Print what would be granted, change nothing. */
  DRY_RUN: flag.default(false),
});
export type AccessSetupConfig = z.infer<typeof accessSetupConfig> & Partial<Record<NameVariable, string>>;

/** The core names from the services' own variables, each defaulting to defaultCoreNames. */
export function coreNamesOf(config: Partial<Record<NameVariable, string>>): CoreNames {
  const names = structuredClone(defaultCoreNames);
  for (const [variable, path] of Object.entries(nameVariables) as [NameVariable, string][]) {
    const value = config[variable];
    if (value === undefined) continue;
    const [first, second] = path.split('.') as [string, string | undefined];
    if (second) (names.groups as Record<string, string>)[second] = value;
    else (names as unknown as Record<string, string>)[first] = value;
  }
  return names;
}

const envPrefix: Record<CoreService, 'WEBHOOK' | 'ROUTER' | 'ADMIN' | 'NOTIFY' | 'MEDIA'> = {
  webhook: 'WEBHOOK',
  router: 'ROUTER',
  admin: 'ADMIN',
  notify: 'NOTIFY',
  media: 'MEDIA',
};

/** Every principal the configuration names, with exactly the rights kafka-access.ts gives it. */
export function setupPrincipals(config: AccessSetupConfig): KafkaPrincipal[] {
  const credential = (service: CoreService) => ({
    username: config[`${envPrefix[service]}_KAFKA_USERNAME`],
    password: config[`${envPrefix[service]}_KAFKA_PASSWORD`],
  });
  const usernames = Object.fromEntries(
    coreServices.map((service) => [service, credential(service).username]),
  ) as Record<CoreService, string>;
  const names = coreNamesOf(config);
  const grants = coreGrants(names, usernames);
  const principals: KafkaPrincipal[] = coreServices.map((service) => ({
    ...credential(service),
    grants: grants.filter((grant) => grant.principal === `User:${usernames[service]}`),
  }));
  const slug = config.SEED_AGENT_SLUG;
  if ((slug === undefined) !== (config.SEED_AGENT_KAFKA_PASSWORD === undefined))
    throw new Error('SEED_AGENT_SLUG and SEED_AGENT_KAFKA_PASSWORD go together');
  if (slug !== undefined && config.SEED_AGENT_KAFKA_PASSWORD !== undefined) {
    const access = {
      slug,
      usernamePrefix: config.KAFKA_AGENT_USERNAME_PREFIX,
      catalogTopics: [names.templateChanges, names.numberChanges],
      topics: { in: agentInTopic(slug), out: agentOutTopic(slug), error: agentErrorTopic(slug) },
    };
    principals.push({
      username: agentUsername(slug, config.KAFKA_AGENT_USERNAME_PREFIX),
      password: config.SEED_AGENT_KAFKA_PASSWORD,
      grants: [
        ...agentGrants(access),
        ...agentServingGrants(access, {
          router: usernames.router,
          media: usernames.media,
          notify: usernames.notify,
        }),
      ],
    });
  }
  return principals;
}
