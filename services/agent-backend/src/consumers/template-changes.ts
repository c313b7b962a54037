import { randomUUID } from 'node:crypto';
import { followNumberChanges, followTemplateChanges } from '@wa-broker/shared/agent-changes-follower';
import { createReadCommittedConsumer, ensureTopics } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { MemoryTemplateCatalog } from '../adapters/template-catalog.memory.js';

export interface TemplateFollowersDeps {
  kafka: Kafka;
  topics: { templateChanges: string; numberChanges: string };
  groupPrefix: string;
  replicationFactor: number;
  catalog: MemoryTemplateCatalog;
  logger: Logger;
}

/**
 * The admin's compacted `number-changes` (number → WABA) and `template-changes` topics, each read from the
 * beginning in a group of this process (every instance needs every template), into the in-memory catalog.
 */
export function templateFollowers(deps: TemplateFollowersDeps) {
  const consumers: Consumer[] = [];
  let admin: Admin | null = null;
  const consumer = (name: string) => {
    const created = createReadCommittedConsumer(deps.kafka, {
      groupId: `${deps.groupPrefix}-${name}-${randomUUID()}`,
      maxWaitTimeInMs: 1000,
    });
    consumers.push(created);
    return created;
  };
  return {
    /** Creates the topics if needed; resolves once both were read up to where they ended at start. */
    async start() {
      admin = deps.kafka.admin();
      await admin.connect();
      const compacted = { 'cleanup.policy': 'compact' };
      await ensureTopics(
        admin,
        [
          { topic: deps.topics.numberChanges, configs: compacted },
          { topic: deps.topics.templateChanges, configs: compacted },
        ],
        { replicationFactor: deps.replicationFactor },
      );
      const logger = deps.logger.child({ component: 'template-catalog' });
      // Numbers first: a template change pushed to operators names the numbers of its WABA.
      await followNumberChanges({
        consumer: consumer('numbers'),
        admin,
        topic: deps.topics.numberChanges,
        logger,
        apply: (number) => deps.catalog.applyNumber(number),
        remove: (key) => deps.catalog.removeNumber(key),
      });
      await followTemplateChanges({
        consumer: consumer('templates'),
        admin,
        topic: deps.topics.templateChanges,
        logger,
        apply: (template) => deps.catalog.applyTemplate(template),
        remove: (key) => deps.catalog.removeTemplate(key),
      });
    },
    async stop() {
      await Promise.all(consumers.map((each) => each.disconnect()));
      await admin?.disconnect();
    },
  };
}
