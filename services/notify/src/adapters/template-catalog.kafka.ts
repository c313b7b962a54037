import { followTemplateChanges } from '@wa-broker/shared/agent-changes-follower';
import { ensureTopics } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import type { MessageTemplateRecord } from '@wa-broker/shared/message-templates';
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
  const byName = new Map<string, Map<string, MessageTemplateRecord>>();
  const { wabaId } = deps;
  if (!wabaId) return { templates: { recordsOf: () => null }, stop: async () => undefined };
  await ensureTopics(deps.admin, [{ topic: deps.topic, configs: { 'cleanup.policy': 'compact' } }], {
    replicationFactor: deps.replicationFactor,
  });
  const consumer = deps.kafka.consumer({ groupId: `notify-templates-${crypto.randomUUID()}` });
  await followTemplateChanges({
    consumer,
    admin: deps.admin,
    topic: deps.topic,
    logger: deps.logger,
    apply: (template) => {
      if (template.waba_id !== wabaId) return;
      let languages = byName.get(template.name);
      if (!languages) byName.set(template.name, (languages = new Map()));
      languages.set(template.language, template);
    },
    remove: (key) => {
      const [waba, name, language] = key.split(':');
      if (waba === wabaId && name && language) byName.get(name)?.delete(language);
    },
  });
  return {
    // Known WABA, unknown name: Meta would answer 132001, so the store says so (an empty list), not null.
    templates: { recordsOf: (name) => (byName.size === 0 ? null : [...(byName.get(name)?.values() ?? [])]) },
    stop: () => consumer.disconnect(),
  };
}
