import type { AgentKafkaCredential } from '@wa-broker/shared/agents';
import {
  type AgentAccess,
  type AgentServingPrincipals,
  agentGrants,
  agentGroupPrefix,
  agentServingGrants,
  agentUsername,
  type KafkaGrant,
} from '@wa-broker/shared/kafka-access';
import {
  applyGrants,
  awaitApplied,
  awaitCredentials,
  type CredentialProbe,
  deleteScramUser,
  newKafkaSecret,
  revokeGrants,
  revokePrincipal,
  scramMechanism,
  upsertScramUser,
} from '@wa-broker/shared/kafka-provisioning';
import type { Admin } from 'kafkajs';
import type { Agent } from '../domain/agent.js';
import type { AgentAccessManager } from '../domain/ports.js';

export interface AgentAccessSettings {
  /** The core services' principals that serve every agent (the router, media, notify). */
  serving: AgentServingPrincipals;
  /** The public catalogues every agent may read (template and number changes). */
  catalogTopics: readonly string[];
  /** What every agent's username starts with (KAFKA_AGENT_USERNAME_PREFIX). */
  usernamePrefix: string;
}

const accessOf = (agent: Agent, settings: AgentAccessSettings): AgentAccess => ({
  slug: agent.slug,
  usernamePrefix: settings.usernamePrefix,
  topics: { in: agent.readTopic, out: agent.writeTopic, error: agent.errorTopic },
  catalogTopics: settings.catalogTopics,
});

/** The operations of `grants` that `kept` does not also give (deleting an ACL deletes it for both). */
function withoutGrants(grants: readonly KafkaGrant[], kept: readonly KafkaGrant[]): KafkaGrant[] {
  const key = (grant: KafkaGrant, operation: string) =>
    [grant.principal, grant.resourceType, grant.patternType, grant.resourceName, operation].join('|');
  const keptKeys = new Set(
    kept.flatMap((grant) => grant.operations.map((operation) => key(grant, operation))),
  );
  return grants
    .map((grant) => ({
      ...grant,
      operations: grant.operations.filter((operation) => !keptKeys.has(key(grant, operation))),
    }))
    .filter((grant) => grant.operations.length > 0);
}

/** SCRAM credentials and ACLs through the admin's Kafka client (its principal may ALTER the cluster). */
export function createKafkaAgentAccess(
  admin: Admin,
  settings: AgentAccessSettings,
  probe: CredentialProbe,
): AgentAccessManager {
  const grantsOf = (agent: Agent) => {
    const access = accessOf(agent, settings);
    return [...agentGrants(access), ...agentServingGrants(access, settings.serving)];
  };
  return {
    async issue(agent): Promise<AgentKafkaCredential> {
      const username = agentUsername(agent.slug, settings.usernamePrefix);
      const password = newKafkaSecret();
      await applyGrants(admin, grantsOf(agent));
      await upsertScramUser(admin, username, password);
      // Returned only once every broker takes it (and so has its ACLs): the team may connect at once.
      await awaitCredentials(admin, probe, [{ username, password }], 'usable');
      return { username, password, mechanism: scramMechanism, group_prefix: agentGroupPrefix(agent.slug) };
    },
    async grant(agents) {
      await applyGrants(admin, agents.flatMap(grantsOf));
    },
    async move(before, after) {
      // New rights first: the agent and the services never lose the topics it is moving to.
      const kept = grantsOf(after);
      await applyGrants(admin, kept);
      await revokeGrants(admin, withoutGrants(grantsOf(before), kept));
      await awaitApplied(admin, probe);
    },
    async revoke(agent) {
      const username = agentUsername(agent.slug, settings.usernamePrefix);
      // The ACLs first (an open connection's next request is refused), then the credential (no new connection);
      // done once no broker takes the credential, by when each has applied both (it applies metadata in order).
      // The services keep theirs on its topics, which are kept too: media and notify still read their history.
      await revokePrincipal(admin, `User:${username}`);
      await deleteScramUser(admin, username);
      await awaitApplied(admin, probe);
    },
  };
}
