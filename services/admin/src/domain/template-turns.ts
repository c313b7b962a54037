import { DomainError } from '@wa-broker/shared/errors';
import type { MessageTemplateRecord } from '@wa-broker/shared/message-templates';
import type { AdminErrorCode } from './errors.js';
import type { TemplateChangePublisher } from './ports.js';
import type { TemplateChange } from './template.js';

export interface TemplateTurnsDeps {
  publisher: TemplateChangePublisher;
  now: () => Date;
  /** Told when a stored change could not be announced, so a republish of every template can follow. */
  onPublishFailed: (error: unknown, templates: readonly MessageTemplateRecord[]) => void;
}

export type TemplateTurns = ReturnType<typeof createTemplateTurns>;

/**
 * What every change to a WABA's templates (sync, webhook, create, delete) goes through: it runs in the WABA's
 * turn, one at a time, so a listing read before a webhook cannot overwrite what the webhook set after it; what
 * it stored is then announced (full state, keyed by `templateKey`).
 */
export function createTemplateTurns(deps: TemplateTurnsDeps) {
  const queues = new Map<string, Promise<unknown>>();

  function serially<T>(wabaId: string, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(wabaId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    queues.set(wabaId, settled);
    void settled.then(() => {
      if (queues.get(wabaId) === settled) queues.delete(wabaId);
    });
    return next;
  }

  async function announce(changes: readonly TemplateChange[]): Promise<void> {
    if (changes.length === 0) return;
    try {
      await deps.publisher.publish(changes, deps.now());
    } catch (error) {
      const templates = changes.map((change) => change.template);
      deps.onPublishFailed(error, templates);
      const first = templates[0] as MessageTemplateRecord;
      throw new DomainError<AdminErrorCode>(
        'change_not_published',
        `template ${first.name} (${first.language}) was saved but its change event could not be published; it will be republished`,
        { waba_id: first.waba_id, name: first.name, language: first.language },
      );
    }
  }

  return { serially, announce };
}
