import type { AgentErrorEvent } from '@wa-broker/shared/agent-errors';
import type { MetaErrorDetail } from '@wa-broker/shared/agent-inbound';
import type { MessageTemplateRecord } from '@wa-broker/shared/message-templates';
import { checkTemplateSend } from '@wa-broker/shared/template-send-rules';
import type { GraphMessage } from './graph-message.js';

/** The templates of one number's WABA, by name (every language), as the admin's store has them. */
export interface NumberTemplates {
  recordsOf(name: string): readonly MessageTemplateRecord[];
}

export interface TemplateCatalogView {
  /** Null when the broker's store knows no template of that number's WABA (unknown WABA, store not synced). */
  ofNumber(phoneNumberId: string): NumberTemplates | null;
}

export interface TemplateRefusal {
  text: string;
  problems: NonNullable<AgentErrorEvent['problems']>;
  metaError: MetaErrorDetail;
}

/**
 * Why Meta would refuse a template send (template-send-rules.ts), or null: not a template, nothing wrong, or
 * a WABA the store knows nothing of (then Meta decides, as before the store existed: a broker without the
 * admin's template sync must not refuse every template).
 */
export function templateRefusal(
  body: GraphMessage,
  templates: NumberTemplates | null,
): TemplateRefusal | null {
  if (body.type !== 'template' || !templates) return null;
  const { template } = body;
  const send = {
    name: template.name,
    language: template.language.code,
    ...(template.components ? { components: template.components } : {}),
  };
  const problems = checkTemplateSend(send, templates.recordsOf(template.name));
  const first = problems[0];
  if (!first) return null;
  return {
    text: `template refused before sending: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
    problems: problems.map(({ field, message }) => ({ field, message })),
    metaError: { code: first.metaCode ?? 132001, title: first.message },
  };
}
