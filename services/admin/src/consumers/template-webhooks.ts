import { DomainError } from '@wa-broker/shared/errors';
import { decodeJson, subscribeWithRetry } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import { BusinessEvent } from '@wa-broker/shared/webhook-events';
import type { Consumer } from 'kafkajs';
import type { TemplateService } from '../domain/template-service.js';

/**
 * Reads the webhook service's business events (its own group, read_committed) and hands each template status,
 * quality or category update to the template service; the offset moves once the change is stored and published.
 * A change stored but not published is left to the resync (replaying the event would find nothing to change).
 */
export async function startTemplateWebhooks(deps: {
  consumer: Consumer;
  topic: string;
  templates: TemplateService;
  logger: Logger;
}): Promise<void> {
  // A new group starts at the end: what happened before is in the start-up sync. Resolves once joined, so an
  // event published after start is never missed.
  await subscribeWithRetry(deps.consumer, { topic: deps.topic, fromBeginning: false });
  const joined = new Promise<void>((resolve) => {
    const remove = deps.consumer.on(deps.consumer.events.GROUP_JOIN, () => {
      remove();
      resolve();
    });
  });
  await deps.consumer.run({
    eachMessage: async ({ message, partition }) => {
      const parsed = BusinessEvent.safeParse(decodeJson(message.value));
      if (!parsed.success) {
        deps.logger.warn(
          { topic: deps.topic, partition, offset: message.offset },
          'unreadable business event',
        );
        return;
      }
      try {
        const result = await deps.templates.applyBusinessEvent(parsed.data);
        if (typeof result === 'object')
          deps.logger.info(
            {
              waba_id: result.template.waba_id,
              name: result.template.name,
              language: result.template.language,
              change: result.type,
            },
            'template updated from a webhook',
          );
      } catch (error) {
        if (error instanceof DomainError && error.code === 'change_not_published') return;
        throw error;
      }
    },
  });
  await joined;
}
