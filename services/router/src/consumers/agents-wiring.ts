import { followAgentChanges } from '@wa-broker/shared/agent-changes-follower';
import { ensureTopics } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import type { AgentRegistry } from '../adapters/agent-registry.js';
import type { RouterConfig } from '../config.js';
import type { KafkaWiring } from './kafka-wiring.js';

export interface AgentsWiring {
  kafka: KafkaWiring;
  config: RouterConfig;
  registry: AgentRegistry;
  logger: Logger;
  /** Runs after the agents' topics exist, at start and on every change (the out-consumer's topic set). */
  onAgentsChanged: () => Promise<void>;
}

/** The registry fed from the compacted agent-changes topic, from the beginning, in a group of this process. */
export function createAgentsFollower(w: AgentsWiring) {
  const { config, kafka } = w;
  const consumer = kafka.consumer(`${config.OUTBOUND_GROUP_ID}-agents-${crypto.randomUUID()}`);
  // Every active agent gets its topics, so routing to an agent never fails on a missing topic. A deleted agent's
  // are left alone: the router's rights on them went with the agent (issue 24), and nothing routes to it.
  const agentTopics = () =>
    w.registry
      .list()
      .filter((a) => a.active)
      .flatMap((a) => [a.topics.in, a.topics.out, a.topics.error]);
  return {
    /** The topic itself, compacted: an agent's last state is all the router needs. */
    async prepareTopic(): Promise<void> {
      await ensureTopics(
        kafka.admin,
        [{ topic: config.AGENT_CHANGES_TOPIC, configs: { 'cleanup.policy': 'compact' } }],
        { replicationFactor: config.KAFKA_REPLICATION_FACTOR },
      );
    },
    /** Resolves once every agent announced so far is in the registry and its topics exist. */
    async load(): Promise<void> {
      await followAgentChanges({
        consumer,
        admin: kafka.admin,
        topic: config.AGENT_CHANGES_TOPIC,
        apply: (agent) => w.registry.apply(agent),
        remove: (key) => w.registry.remove(key),
        logger: w.logger,
      });
      await kafka.prepareTopics(agentTopics());
      w.registry.onChange(
        () =>
          void kafka
            .prepareTopics(agentTopics())
            .then(() => w.onAgentsChanged())
            .catch((err: unknown) => w.logger.error({ err }, 'agent topics')),
      );
      await w.onAgentsChanged();
    },
    stop: () => consumer.disconnect(),
  };
}
