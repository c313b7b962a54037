import type { AgentRecord } from '@wa-broker/shared/agents';
import type { OwningAgent } from '../domain/inbound-job.js';

/** Every agent announced on `agent-changes`, by its `-in` topic (inactive ones too: their files stay theirs). */
export class AgentTopics {
  private readonly byInTopic = new Map<string, OwningAgent>();
  private readonly listeners = new Set<() => void>();

  inTopics(): string[] {
    return [...this.byInTopic.keys()];
  }

  ownerOf(inTopic: string): OwningAgent | undefined {
    return this.byInTopic.get(inTopic);
  }

  apply(record: AgentRecord): void {
    const owner: OwningAgent = {
      id: String(record.id),
      slug: record.slug,
      inTopic: record.read_topic,
      errorTopic: record.error_topic,
    };
    const previousTopic = [...this.byInTopic].find(([, agent]) => agent.id === owner.id)?.[0];
    if (previousTopic && previousTopic !== record.read_topic) this.byInTopic.delete(previousTopic);
    this.byInTopic.set(record.read_topic, owner);
    if (previousTopic !== record.read_topic) for (const listener of this.listeners) listener();
  }

  onTopicsChange(listener: () => void): void {
    this.listeners.add(listener);
  }
}
