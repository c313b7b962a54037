import { DomainError } from '@wa-broker/shared/errors';
import type { MessageTemplateRecord } from '@wa-broker/shared/message-templates';
import type { OperatorTemplate, TemplateReply } from '@wa-broker/shared/operator-protocol';
import { templateSendOf } from '@wa-broker/shared/operator-protocol';
import type { TemplateProblem } from '@wa-broker/shared/template-definition-rules';
import { checkTemplateSend } from '@wa-broker/shared/template-send-rules';
import type { TemplateCatalog } from './ports.js';

/** A problem with one field of the operator's template reply (`name`, `body_parameters[1]`, …). */
export interface ReplyIssue {
  path: string;
  message: string;
}

/**
 * The templates a conversation on `phoneNumberId` may be sent, for the picker: the approved ones of the
 * number's WABA, by name then language. Null WABA: the number is unknown (no number record yet, or a
 * conversation that predates numbers), so nothing can be offered.
 */
export function approvedTemplates(
  catalog: TemplateCatalog,
  phoneNumberId: string | undefined,
): { wabaId: string | null; templates: OperatorTemplate[] } {
  const wabaId = phoneNumberId ? catalog.wabaOf(phoneNumberId) : undefined;
  if (!wabaId) return { wabaId: null, templates: [] };
  const templates = catalog
    .templatesOf(wabaId)
    .filter((template) => template.status === 'APPROVED')
    .sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language))
    .map(({ id, name, language, category, status, quality, parameter_format, components, parameters }) => ({
      id,
      name,
      language,
      category,
      status,
      quality,
      parameter_format,
      components,
      parameters,
    }));
  return { wabaId, templates };
}

/**
 * Refuses (`invalid_message`, with issues by field of the reply) a template reply Meta would refuse, checked with
 * the shared rules against the templates of that name on the number's WABA: unknown, not approved (paused:
 * 132015), another language, or the wrong number or kind of parameters. A number whose WABA the admin has not
 * announced cannot be checked here; the router and Meta still are.
 */
export function assertTemplateSendable(
  reply: TemplateReply,
  catalog: TemplateCatalog,
  phoneNumberId: string | undefined,
): void {
  const wabaId = phoneNumberId ? catalog.wabaOf(phoneNumberId) : undefined;
  if (!wabaId) return;
  const send = templateSendOf(reply);
  const known = catalog.templatesOf(wabaId).filter((template) => template.name === reply.name);
  const problems = checkTemplateSend(send, known);
  if (problems.length === 0) return;
  const template = known.find((candidate) => candidate.language === reply.language);
  const issues = problems.map((problem) => ({
    path: replyField(problem, send, reply, template),
    message: problem.message,
  }));
  throw new DomainError(
    'invalid_message',
    `WhatsApp would refuse this template: ${issues.map((issue) => issue.message).join('; ')}.`,
    { issues },
  );
}

/**
 * The reply's own field a problem with Meta's send object is about, so the picker shows it by its input:
 * `header_parameters[0]` or `header_media`, `body_parameters[1]`, `button_parameters[0]` (the reply's value for
 * that button, else the button's place among those taking a value, as the picker lists them).
 */
function replyField(
  problem: TemplateProblem,
  send: ReturnType<typeof templateSendOf>,
  reply: TemplateReply,
  template: MessageTemplateRecord | undefined,
): string {
  if (problem.field === 'template.name') return 'name';
  if (problem.field === 'template.language') return 'language';
  const at = /^template\.components\[(\d+)\](?:\.parameters(?:\[(\d+)\])?)?/.exec(problem.field);
  const component = at ? send.components?.[Number(at[1])] : undefined;
  const part = component
    ? component.type === 'button'
      ? `button ${component.index}`
      : component.type
    : (/^(?:the )?(header|body|button \d+)/.exec(problem.message)?.[1] ?? 'template');
  const parameter = at?.[2] !== undefined ? `[${at[2]}]` : '';
  if (part === 'header') {
    const format = template?.parameters.header?.format ?? 'TEXT';
    return reply.header_media || format !== 'TEXT' ? 'header_media' : `header_parameters${parameter}`;
  }
  if (part === 'body') return `body_parameters${parameter}`;
  const button = /^button (\d+)$/.exec(part);
  if (!button) return part;
  const index = Number(button[1]);
  const given = (reply.button_parameters ?? []).findIndex((each) => each.index === index);
  const listed = template?.parameters.buttons.findIndex((each) => each.index === index) ?? -1;
  const position = given >= 0 ? given : listed;
  return position >= 0 ? `button_parameters[${position}]` : 'button_parameters';
}
