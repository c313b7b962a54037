import { followTemplateChanges } from '@wa-broker/shared/agent-changes-follower';
import { createReadCommittedConsumer, ensureTopics } from '@wa-broker/shared/kafka';
import { defaultCoreNames } from '@wa-broker/shared/kafka-access';
import type { Logger } from '@wa-broker/shared/logger';
import { TemplateIndex } from '@wa-broker/shared/message-templates';
import type { Admin, Kafka } from 'kafkajs';
import type { NotificationTemplates } from '../domain/template-check.js';

/**
 * The templates of the notifications' WABA, from the admin's compacted template-changes topic (read whole at
 * start, then live: a template approved or paused counts from the next request, without a restart).
 */
export async function followNotificationTemplates(deps: {
  kafka: Kafka;
  admin: Admin;
  topic: string;
  /** NOTIFICATIONS_WABA_ID; without it nothing is followed and only Meta checks templates. */
  wabaId: string | undefined;
  replicationFactor: number;
  logger: Logger;
}): Promise<{ templates: NotificationTemplates; stop: () => Promise<void> }> {
  const index = new TemplateIndex();
  const { wabaId } = deps;
  if (!wabaId) return { templates: { recordsOf: () => null }, stop: async () => undefined };
  await ensureTopics(deps.admin, [{ topic: deps.topic, configs: { 'cleanup.policy': 'compact' } }], {
    replicationFactor: deps.replicationFactor,
  });
  const consumer = createReadCommittedConsumer(deps.kafka, {
    groupId: `${defaultCoreNames.groups.notifyTemplates}-${crypto.randomUUID()}`,
  });
  await followTemplateChanges({
    consumer,
    admin: deps.admin,
    topic: deps.topic,
    logger: deps.logger,
    apply: (template) => index.apply(template),
    remove: (key) => index.remove(key),
  });
  return {
    // Known WABA, unknown name: Meta would answer 132001, so the store says so (an empty list), not null.
    templates: { recordsOf: (name) => (index.knows(wabaId) ? index.recordsOf(wabaId, name) : null) },
    stop: () => consumer.disconnect(),
  };
}
