import type { MessageTemplateRecord } from '@wa-broker/shared/message-templates';
import { checkTemplateSend, type TemplateSend } from '@wa-broker/shared/template-send-rules';
import { type MetaError, metaErrors } from './meta-errors.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What the phone shows of a template it received: its texts with the parameters filled in. */
export interface RenderedTemplate {
  header?: string;
  body: string;
  footer?: string;
}

export type TemplateSendCheck =
  | { ok: true; template: MessageTemplateRecord; rendered: RenderedTemplate }
  | { ok: false; error: MetaError };

/** A send's `template` object (already shape-checked by send-validation.ts) in the shared rules' terms. */
export function templateSendOf(payload: Json): TemplateSend {
  const language = isObject(payload.language) ? String(payload.language.code) : '';
  const components = Array.isArray(payload.components) ? payload.components : [];
  return {
    name: String(payload.name),
    language,
    components: components.filter(isObject).map((component) => ({
      type: String(component.type ?? '').toLowerCase(),
      ...(component.sub_type !== undefined ? { sub_type: String(component.sub_type) } : {}),
      ...(component.index !== undefined ? { index: String(component.index) } : {}),
      parameters: (Array.isArray(component.parameters) ? component.parameters : [])
        .filter(isObject)
        .map((parameter) => ({ ...parameter, type: String(parameter.type ?? '') })),
    })),
  };
}

/**
 * Meta's check of a template send against the templates of the sending number's WABA (whatsapp-cloud-api.md
 * §5.5, §7.3), the rules being the shared ones: the first problem's code is the answer.
 */
export function checkTemplateSendAtMeta(
  payload: Json,
  knownLanguagesOfName: readonly MessageTemplateRecord[],
): TemplateSendCheck {
  const send = templateSendOf(payload);
  const problems = checkTemplateSend(send, knownLanguagesOfName);
  const first = problems[0];
  const template = knownLanguagesOfName.find((candidate) => candidate.language === send.language);
  if (first || !template) {
    const details = problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
    return { ok: false, error: metaErrors.templateSend(first?.metaCode ?? 132001, details) };
  }
  return { ok: true, template, rendered: renderTemplate(template, send) };
}

/** A parameter as text: `text`, or a currency's or date's `fallback_value`. */
function textOf(parameter: Json): string {
  if (typeof parameter.text === 'string') return parameter.text;
  for (const key of ['currency', 'date_time']) {
    const value = parameter[key];
    if (isObject(value) && typeof value.fallback_value === 'string') return value.fallback_value;
  }
  return '';
}

/** Fills `{{1}}` or `{{name}}` with the send's parameters of that component, as the user's phone shows it. */
export function renderTemplate(template: MessageTemplateRecord, send: TemplateSend): RenderedTemplate {
  const fill = (text: string | undefined, type: 'header' | 'body') => {
    if (text === undefined) return undefined;
    const parameters = send.components?.find((component) => component.type === type)?.parameters ?? [];
    const names =
      type === 'header' ? (template.parameters.header?.names ?? []) : template.parameters.body.names;
    return text.replace(/\{\{\s*([^{}\s]+)\s*\}\}/g, (whole, name: string) => {
      const parameter =
        parameters.find((candidate) => candidate.parameter_name === name) ?? parameters[names.indexOf(name)];
      return parameter ? textOf(parameter) : whole;
    });
  };
  const textOfComponent = (type: string) =>
    template.components.find(
      (component) =>
        component.type === type && (type !== 'HEADER' || (component.format ?? 'TEXT') === 'TEXT'),
    )?.text;
  const header = fill(textOfComponent('HEADER'), 'header');
  const footer = textOfComponent('FOOTER');
  return {
    ...(header !== undefined ? { header } : {}),
    body: fill(textOfComponent('BODY'), 'body') ?? '',
    ...(footer !== undefined ? { footer } : {}),
  };
}
