import type { AgentKafkaCredential } from '@wa-broker/shared/agents';
import {
  type AgentAccess,
  type AgentServingPrincipals,
  agentGrants,
  agentGroupPrefix,
  agentServingGrants,
  agentUsername,
} from '@wa-broker/shared/kafka-access';
import {
  applyGrants,
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
}

const accessOf = (agent: Agent, settings: AgentAccessSettings): AgentAccess => ({
  slug: agent.slug,
  topics: { in: agent.readTopic, out: agent.writeTopic, error: agent.errorTopic },
  catalogTopics: settings.catalogTopics,
});

/** SCRAM credentials and ACLs through the admin's Kafka client (its principal may ALTER the cluster). */
export function createKafkaAgentAccess(admin: Admin, settings: AgentAccessSettings): AgentAccessManager {
  const grantsOf = (agent: Agent) => {
    const access = accessOf(agent, settings);
    return [...agentGrants(access), ...agentServingGrants(access, settings.serving)];
  };
  return {
    async issue(agent): Promise<AgentKafkaCredential> {
      const username = agentUsername(agent.slug);
      const password = newKafkaSecret();
      await applyGrants(admin, grantsOf(agent));
      await upsertScramUser(admin, username, password);
      return { username, password, mechanism: scramMechanism, group_prefix: agentGroupPrefix(agent.slug) };
    },
    async grant(agents) {
      await applyGrants(admin, agents.flatMap(grantsOf));
    },
    async revoke(agent) {
      const username = agentUsername(agent.slug);
      // The credential first: no new connection; then the ACLs: an open connection's next request is refused.
      await deleteScramUser(admin, username);
      await revokePrincipal(admin, `User:${username}`);
      await revokeGrants(admin, agentServingGrants(accessOf(agent, settings), settings.serving));
    },
  };
}
