import { followNumberChanges, followTemplateChanges } from '@wa-broker/shared/agent-changes-follower';
import { ensureTopics } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import type { NumberRegistry } from '../adapters/number-registry.js';
import type { TemplateCatalog } from '../adapters/template-catalog.js';
import type { RouterConfig } from '../config.js';
import type { KafkaWiring } from './kafka-wiring.js';

/**
 * The business numbers fed from the admin's compacted number-change topic, from the beginning, in a group of
 * this process (every router needs every number): changes reach routing live, like agent changes.
 */
export function createNumbersFollower(w: {
  kafka: KafkaWiring;
  config: RouterConfig;
  registry: NumberRegistry;
  logger: Logger;
}) {
  const { config, kafka } = w;
  const consumer = kafka.consumer(`${config.OUTBOUND_GROUP_ID}-numbers-${crypto.randomUUID()}`);
  return {
    async prepareTopic(): Promise<void> {
      await ensureTopics(
        kafka.admin,
        [{ topic: config.NUMBER_CHANGES_TOPIC, configs: { 'cleanup.policy': 'compact' } }],
        { replicationFactor: config.KAFKA_REPLICATION_FACTOR },
      );
    },
    /** Resolves once every number announced so far is in the registry. */
    load: () =>
      followNumberChanges({
        consumer,
        admin: kafka.admin,
        topic: config.NUMBER_CHANGES_TOPIC,
        logger: w.logger,
        apply: (number) => w.registry.apply(number),
        remove: (key) => w.registry.remove(key),
      }),
    stop: () => consumer.disconnect(),
  };
}

/**
 * The admin's message templates (template-changes, compacted), followed like the numbers: a template approved,
 * paused or deleted is checked against on the next send, without a restart.
 */
export function createTemplatesFollower(w: {
  kafka: KafkaWiring;
  config: RouterConfig;
  catalog: TemplateCatalog;
  logger: Logger;
}) {
  const { config, kafka } = w;
  const consumer = kafka.consumer(`${config.OUTBOUND_GROUP_ID}-templates-${crypto.randomUUID()}`);
  return {
    async prepareTopic(): Promise<void> {
      await ensureTopics(
        kafka.admin,
        [{ topic: config.TEMPLATE_CHANGES_TOPIC, configs: { 'cleanup.policy': 'compact' } }],
        { replicationFactor: config.KAFKA_REPLICATION_FACTOR },
      );
    },
    /** Resolves once every template announced so far is in the catalog. */
    load: () =>
      followTemplateChanges({
        consumer,
        admin: kafka.admin,
        topic: config.TEMPLATE_CHANGES_TOPIC,
        logger: w.logger,
        apply: (template) => w.catalog.apply(template),
        remove: (key) => w.catalog.remove(key),
      }),
    stop: () => consumer.disconnect(),
  };
}
