import type { TemplateComponent, TemplateParameter } from '@wa-broker/shared/notifications';
import type { ParameterInput, RecipientParameters } from './notification-request.js';

const toParameter = (p: ParameterInput): TemplateParameter =>
  typeof p === 'string' ? { type: 'text', text: p } : p;

/** A button's parameter is a payload for quick replies and the URL suffix (text) for URL buttons. */
const toButtonParameter = (subType: 'quick_reply' | 'url', p: ParameterInput): TemplateParameter => {
  if (typeof p !== 'string') return p;
  return subType === 'quick_reply' ? { type: 'payload', payload: p } : { type: 'text', text: p };
};

/** One recipient's parameters as Meta's `components` array (§5.5). */
export function toComponents(parameters: RecipientParameters | undefined): TemplateComponent[] {
  if (!parameters) return [];
  const components: TemplateComponent[] = [];
  if (parameters.header?.length)
    components.push({ type: 'header', parameters: parameters.header.map(toParameter) });
  if (parameters.body?.length)
    components.push({ type: 'body', parameters: parameters.body.map(toParameter) });
  for (const button of parameters.buttons ?? [])
    components.push({
      type: 'button',
      sub_type: button.sub_type,
      index: String(button.index),
      parameters: button.parameters.map((p) => toButtonParameter(button.sub_type, p)),
    });
  return components;
}
