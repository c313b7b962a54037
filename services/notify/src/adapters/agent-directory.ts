import type { AgentRecord } from '@wa-broker/shared/agents';

export interface KnownAgent {
  id: string;
  name: string;
  active: boolean;
  inTopic: string;
  outTopic: string;
}

/** Every agent ever announced on `agent-changes` (inactive ones too: their old conversations stay readable). */
export class AgentDirectory {
  private readonly agents = new Map<string, KnownAgent>();
  private readonly listeners = new Set<() => void>();

  list(): KnownAgent[] {
    return [...this.agents.values()];
  }

  get(id: string): KnownAgent | undefined {
    return this.agents.get(id);
  }

  byOutTopic(topic: string): KnownAgent | undefined {
    return this.list().find((agent) => agent.outTopic === topic);
  }

  /** Ids matching an id or a name (case-insensitive), for the list's `agent` filter. */
  resolve(reference: string): string[] {
    const wanted = reference.trim().toLowerCase();
    const ids = this.list()
      .filter((agent) => agent.name.trim().toLowerCase() === wanted)
      .map((agent) => agent.id);
    return [...new Set([reference, ...ids])];
  }

  apply(record: AgentRecord): void {
    const previous = this.agents.get(String(record.id));
    const next: KnownAgent = {
      id: String(record.id),
      name: record.name,
      active: record.active,
      inTopic: record.read_topic,
      outTopic: record.write_topic,
    };
    this.agents.set(next.id, next);
    if (previous?.inTopic !== next.inTopic || previous.outTopic !== next.outTopic)
      for (const listener of this.listeners) listener();
  }

  onTopicsChange(listener: () => void): void {
    this.listeners.add(listener);
  }
}
