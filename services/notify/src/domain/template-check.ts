import type { MessageTemplateRecord } from '@wa-broker/shared/message-templates';
import { checkTemplateSend } from '@wa-broker/shared/template-send-rules';
import type { CreateNotificationBody } from './notification-request.js';
import { toComponents } from './template-components.js';

/** The templates of the notifications' WABA, by name (every language); null: the store knows none of it. */
export interface NotificationTemplates {
  recordsOf(name: string): readonly MessageTemplateRecord[] | null;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Why Meta would refuse this notification's template for some recipient (template-send-rules.ts), by field of
 * the request: `template.name`, `template.language`, `recipients.2.parameters.body`, … Empty when Meta would
 * take it, or when the store knows nothing of the WABA (then only Meta checks, as before the store existed).
 */
export function notificationTemplateProblems(
  body: CreateNotificationBody,
  templates: NotificationTemplates,
): FieldProblem[] {
  const known = templates.recordsOf(body.template.name);
  if (!known) return [];
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  body.recipients.forEach((recipient, index) => {
    const components = toComponents(recipient.parameters);
    const send = { name: body.template.name, language: body.template.language, components };
    for (const problem of checkTemplateSend(send, known)) {
      const field = requestField(problem.field, components, index);
      const key = `${field}\n${problem.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({ field, message: problem.message });
    }
  });
  return problems;
}

/** `template.components[1].parameters[0].type` → `recipients.3.parameters.body.0`, by the component's kind. */
function requestField(field: string, components: ReturnType<typeof toComponents>, recipient: number): string {
  if (!field.startsWith('template.components')) return field;
  const base = `recipients.${recipient}.parameters`;
  const match = /^template\.components\[(\d+)\](?:\.parameters(?:\[(\d+)\])?)?/.exec(field);
  const component = match ? components[Number(match[1])] : undefined;
  if (!component) return base;
  const parameter = match?.[2] !== undefined ? `.${match[2]}` : '';
  if (component.type === 'button') {
    const button = components.filter((c) => c.type === 'button').indexOf(component);
    return `${base}.buttons.${button}.parameters${parameter}`;
  }
  return `${base}.${component.type}${parameter}`;
}
