import { followAgentChanges } from '@wa-broker/shared/agent-changes-follower';
import { createReadCommittedConsumer, ensureTopics } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import { createTopicSetConsumer } from '@wa-broker/shared/topic-set-consumer';
import type { Admin, Kafka } from 'kafkajs';
import { AgentDirectory } from './adapters/agent-directory.js';
import type { NotifyConfig } from './config.js';
import { startConversationLogConsumer } from './consumers/conversation-log.consumer.js';
import type { ConversationLog } from './domain/conversation-ports.js';

/**
 * The call-event log's consumers: the agent list first (so the first subscription already has every known
 * agent's topics), then the log consumer, re-subscribed whenever an agent's topics change.
 */
export async function startConversationLog(deps: {
  kafka: Kafka;
  admin: Admin;
  config: NotifyConfig;
  log: ConversationLog;
  logger: Logger;
}): Promise<{ directory: AgentDirectory; stop: () => Promise<void> }> {
  const { kafka, admin, config, logger } = deps;
  const directory = new AgentDirectory();
  const prepare = (topics: string[]) =>
    ensureTopics(
      admin,
      topics.map((topic) => ({ topic, numPartitions: config.KAFKA_PARTITIONS })),
      { replicationFactor: config.KAFKA_REPLICATION_FACTOR },
    );
  await ensureTopics(
    admin,
    [{ topic: config.AGENT_CHANGES_TOPIC, configs: { 'cleanup.policy': 'compact' } }],
    { replicationFactor: config.KAFKA_REPLICATION_FACTOR },
  );
  const agentsConsumer = createReadCommittedConsumer(kafka, {
    groupId: `${config.CONVERSATIONS_GROUP_ID}-agents-${crypto.randomUUID()}`,
    maxWaitTimeInMs: 1000,
  });
  await followAgentChanges({
    consumer: agentsConsumer,
    admin,
    topic: config.AGENT_CHANGES_TOPIC,
    apply: (agent) => directory.apply(agent),
    logger,
  });
  const supervisor = createTopicSetConsumer({
    name: 'conversation-log',
    topics: () => [
      config.WEBHOOK_TOPIC,
      config.ROUTER_OUT_TOPIC,
      ...directory.list().flatMap((agent) => [agent.inTopic, agent.outTopic]),
    ],
    prepare,
    // read_committed: the router writes `<agent>-in` and `router-out` in transactions; an aborted one is not logged.
    createConsumer: () =>
      createReadCommittedConsumer(kafka, { groupId: config.CONVERSATIONS_GROUP_ID, maxWaitTimeInMs: 500 }),
    start: (consumer, topics) =>
      startConversationLogConsumer(consumer, topics, {
        webhookTopic: config.WEBHOOK_TOPIC,
        routerOutTopic: config.ROUTER_OUT_TOPIC,
        directory,
        append: (events) => deps.log.append(events),
        logger,
      }),
    logger,
  });
  // Registered before the first subscription, so an agent announced meanwhile is not missed.
  directory.onTopicsChange(() => void supervisor.refresh());
  await supervisor.refresh();
  return {
    directory,
    stop: async () => {
      await supervisor.stop();
      await agentsConsumer.disconnect();
    },
  };
}
