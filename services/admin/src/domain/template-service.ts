import type { MessageTemplateRecord } from '@wa-broker/shared/message-templates';
import { templateNotFound } from './errors.js';
import type { TemplateQuery } from './ports.js';
import { createTemplateAuthoring, type TemplateAuthoringDeps } from './template-authoring.js';
import { createTemplateSync, type TemplateSyncDeps } from './template-sync.js';
import { createTemplateTurns, type TemplateTurnsDeps } from './template-turns.js';

export type TemplateServiceDeps = TemplateTurnsDeps & TemplateSyncDeps & TemplateAuthoringDeps;

export type TemplateService = ReturnType<typeof createTemplateService>;

/**
 * The template store's use cases (issue 19 §1–2): reads here, sync and webhooks in template-sync.ts, create and
 * delete in template-authoring.ts. Every change to a WABA's templates (sync, webhook, create, delete) runs one at
 * a time per WABA, so a listing read before a webhook cannot overwrite what the webhook set after it. Each change
 * is stored, then published (full state, keyed by `templateKey`): template-turns.ts.
 */
export function createTemplateService(deps: TemplateServiceDeps) {
  const { store } = deps;
  const turns = createTemplateTurns(deps);

  return {
    list: (query: TemplateQuery) => store.list(query),

    /** Every language of one template name (deleted ones too); 404 when none is stored. */
    async byName(wabaId: string, name: string): Promise<MessageTemplateRecord[]> {
      const templates = await store.list({ wabaId, name });
      if (templates.length === 0) throw templateNotFound(wabaId, name);
      return templates;
    },

    ...createTemplateSync(deps, turns),
    ...createTemplateAuthoring(deps, turns),
  };
}
