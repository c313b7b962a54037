import type { AgentRecord } from '@wa-broker/shared/agents';
import type { Agent } from './agent.js';

/** The wire form of an agent (v2 API and agent-change events). */
export function toAgentRecord(agent: Agent): AgentRecord {
  return {
    id: agent.id,
    name: agent.name,
    slug: agent.slug,
    description: agent.description,
    read_topic: agent.readTopic,
    write_topic: agent.writeTopic,
    error_topic: agent.errorTopic,
    active: agent.active,
    created_at: agent.createdAt.toISOString(),
    updated_at: agent.updatedAt.toISOString(),
  };
}
