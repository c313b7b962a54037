import { type AgentChangeEvent, agentChangeEvent, agentChangeKey } from '@wa-broker/shared/agents';
import { encodeJson, ensureTopics } from '@wa-broker/shared/kafka';
import type { Admin, Producer } from 'kafkajs';
import { toAgentRecord } from '../domain/agent-record.js';
import type { AgentChangePublisher, TopicProvisioner } from '../domain/ports.js';

/**
 * A change topic (agent-changes, number-changes): one partition, the topic is small and a consumer that wants
 * "every agent" reads a single log to its end. Compaction keeps the latest event per key forever.
 */
export async function ensureChangesTopic(
  admin: Admin,
  topic: string,
  replicationFactor: number,
): Promise<void> {
  await ensureTopics(admin, [{ topic, numPartitions: 1, configs: { 'cleanup.policy': 'compact' } }], {
    replicationFactor,
  });
}

export function createAgentChangePublisher(producer: Producer, topic: string): AgentChangePublisher {
  return {
    async publish(changes, now) {
      if (changes.length === 0) return;
      const messages = changes.map(({ type, agent }) => {
        const event: AgentChangeEvent = agentChangeEvent.parse({
          v: 1,
          type,
          agent: toAgentRecord(agent),
          published_at: now.toISOString(),
        });
        return { key: agentChangeKey(agent.id), value: encodeJson(event) };
      });
      // acks=-1: an event the router may miss is not "published".
      await producer.send({ topic, acks: -1, messages });
    },
  };
}

export function createTopicProvisioner(
  admin: Admin,
  options: { replicationFactor: number; partitions: number },
): TopicProvisioner {
  return {
    async ensureAgentTopics(topics) {
      const unique = [...new Set(topics)];
      await ensureTopics(
        admin,
        unique.map((topic) => ({ topic })),
        { replicationFactor: options.replicationFactor, defaultPartitions: options.partitions },
      );
    },
  };
}
