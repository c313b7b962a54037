import { testKafkaAuth } from '@wa-broker/infra/test-env';
import { credentialProbe } from '@wa-broker/shared/kafka';
import {
  type CoreNames,
  type CoreService,
  coreGrants,
  coreServices,
  defaultCoreNames,
} from '@wa-broker/shared/kafka-access';
import {
  newKafkaSecret,
  provisionPrincipals,
  removePrincipalsByPrefix,
} from '@wa-broker/shared/kafka-provisioning';
import { createLogger } from '@wa-broker/shared/logger';
import { asAdministrator } from './run-topics.js';
import type { SystemNames } from './system-env.js';

/**
 * Every core service of an e2e run connects with its own principal, `<prefix>-<service>`, holding exactly the
 * rights kafka-access.ts gives that service on this run's topics and groups (issue 24): a missing grant fails
 * the run like it would fail a deployment. The agent backend uses the credential the admin issued its agent.
 */
export interface RunAccess {
  usernames: Record<CoreService, string>;
  /** KAFKA_USERNAME / KAFKA_PASSWORD of one core service. */
  envOf(service: CoreService): { KAFKA_USERNAME: string; KAFKA_PASSWORD: string };
  /** What the run's admin names its agents' principals with (KAFKA_AGENT_USERNAME_PREFIX). */
  agentUsernamePrefix: string;
  /** Deletes every principal of the run (the services', the agents' its admin made) and every ACL they hold. */
  remove(): Promise<void>;
}

/** This run's names, as system-env.ts gives them to the services. */
export function runCoreNames(names: SystemNames): CoreNames {
  const p = names.prefix;
  return {
    webhook: `${p}-webhook`,
    businessEvents: `${p}-business`,
    rawEventLog: `${p}-raw`,
    agentChanges: `${p}-agent-changes`,
    numberChanges: `${p}-number-changes`,
    templateChanges: `${p}-template-changes`,
    messageCosts: `${p}-message-costs`,
    routerOut: `${p}-router-out`,
    deadLetter: `${p}-dead-letter`,
    notificationsSend: `${p}-notifications-send`,
    notificationEvents: `${p}-notification-events`,
    groups: {
      routerInbound: `${p}-router-in`,
      routerOutbound: `${p}-router-out`,
      routerNotifications: `${p}-router-notifications`,
      routerNotificationStatuses: `${p}-router-notification-statuses`,
      adminTemplates: `${p}-admin-templates`,
      adminCosts: `${p}-admin-costs`,
      notifyEvents: `${p}-notify-events`,
      notifyConversations: `${p}-notify-conversations`,
      // notify's template catalogue group is not configurable: `notify-templates-<uuid>`.
      notifyTemplates: defaultCoreNames.groups.notifyTemplates,
      media: `${p}-media`,
    },
  };
}

export async function provisionRunAccess(brokers: string, names: SystemNames): Promise<RunAccess> {
  const usernames = Object.fromEntries(
    coreServices.map((service) => [service, `${names.prefix}-${service}`]),
  ) as Record<CoreService, string>;
  const passwords = Object.fromEntries(coreServices.map((service) => [service, newKafkaSecret()])) as Record<
    CoreService,
    string
  >;
  const grants = coreGrants(runCoreNames(names), usernames);
  await asAdministrator(brokers.split(','), (admin) =>
    provisionPrincipals(
      admin,
      coreServices.map((service) => ({
        username: usernames[service],
        password: passwords[service],
        grants: grants.filter((grant) => grant.principal === `User:${usernames[service]}`),
      })),
      // Services start right after: every broker must already take their credentials.
      credentialProbe(createLogger({ service: 'e2e', level: 'silent' }), testKafkaAuth().tls),
    ),
  );
  return {
    usernames,
    envOf: (service) => ({ KAFKA_USERNAME: usernames[service], KAFKA_PASSWORD: passwords[service] }),
    agentUsernamePrefix: `${names.prefix}-agent-`,
    remove: async () => {
      await asAdministrator(brokers.split(','), (admin) =>
        removePrincipalsByPrefix(admin, `${names.prefix}-`),
      );
    },
  };
}
