import type { AgentRecord } from '@wa-broker/shared/agents';
import type { Agent } from '../domain/agent.js';

/** The live list of agents, fed by the admin's compacted agent-change topic (never by PostgreSQL). */
export class AgentRegistry {
  private readonly agents = new Map<string, Agent>();
  private readonly listeners = new Set<() => void>();

  list(): Agent[] {
    return [...this.agents.values()].sort((a, b) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id));
  }

  byOutTopic(topic: string): Agent | undefined {
    return this.list().find((agent) => agent.active && agent.topics.out === topic);
  }

  get(id: string): Agent | undefined {
    return this.agents.get(id);
  }

  apply(record: AgentRecord): void {
    this.agents.set(String(record.id), {
      id: String(record.id),
      name: record.name,
      ...(record.description ? { description: record.description } : {}),
      active: record.active,
      topics: { in: record.read_topic, out: record.write_topic, error: record.error_topic },
    });
    for (const listener of this.listeners) listener();
  }

  /** A tombstone (null value) removes the agent entirely. */
  remove(id: string): void {
    if (this.agents.delete(id)) for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
