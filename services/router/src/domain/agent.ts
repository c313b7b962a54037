/** The router's view of an agent, built from the admin's agent-change events. */
export interface Agent {
  id: string;
  name: string;
  description?: string;
  active: boolean;
  topics: { in: string; out: string; error: string };
}

export function findActiveAgent(agents: readonly Agent[], id: string): Agent | undefined {
  return agents.find((agent) => agent.id === id && agent.active);
}

/** A transfer names its target by id, name or topic prefix; names compare case-insensitively. */
export function findAgentByReference(agents: readonly Agent[], reference: string): Agent | undefined {
  const wanted = reference.trim().toLowerCase();
  return agents.find(
    (agent) =>
      agent.active &&
      (agent.id === reference || agent.name.trim().toLowerCase() === wanted || agent.topics.in === reference),
  );
}

export function activeAgents(agents: readonly Agent[]): Agent[] {
  return agents.filter((agent) => agent.active);
}
