import type { MessageTemplateRecord } from './message-templates.js';
import type { TemplateProblem } from './template-definition-rules.js';

/**
 * Meta's error codes for a template send it refuses. The send rules (issue 19) are owned here for every
 * sender (before a send reaches Meta) and the simulator (which answers as Meta does). Sources:
 * whatsapp-cloud-api.md §5.5 (send shape; 132000 / 132001 / 132012) and §7.3 (132015, paused). The definition
 * rules are in template-definition-rules.ts.
 */
export const templateErrorCodes = {
  /** Parameter count does not match the template. */
  parameterCount: 132000,
  /** No template of that name in that language, or not approved. */
  doesNotExist: 132001,
  /** A parameter's format does not match (e.g. a text for an image header). */
  parameterFormat: 132012,
  /** The template is paused for low quality. */
  paused: 132015,
} as const;

/** A template send as Meta takes it (whatsapp-cloud-api.md §5.5), the parts the rules read. */
export interface TemplateSend {
  name: string;
  language: string;
  components?: Array<{
    type: string;
    sub_type?: string;
    index?: string | number;
    parameters: Array<{ type: string; parameter_name?: string } & Record<string, unknown>>;
  }>;
}

const mediaParameterOf: Record<string, string> = {
  IMAGE: 'image',
  VIDEO: 'video',
  DOCUMENT: 'document',
  LOCATION: 'location',
};
const textParameterTypes = new Set(['text', 'currency', 'date_time']);

/**
 * Why Meta would refuse this template send, by field, given the templates of the sending number's WABA
 * (`known`: every language of that name, empty when the name is unknown). Empty: Meta would accept it.
 */
export function checkTemplateSend(
  send: TemplateSend,
  known: readonly MessageTemplateRecord[],
): TemplateProblem[] {
  const template = known.find((candidate) => candidate.language === send.language);
  if (!template) {
    if (known.length === 0)
      return [
        {
          field: 'template.name',
          message: `no template named "${send.name}" on this WhatsApp account`,
          metaCode: templateErrorCodes.doesNotExist,
        },
      ];
    const languages = known.map((candidate) => candidate.language).join(', ');
    return [
      {
        field: 'template.language',
        message: `"${send.name}" exists in ${languages}, not in ${send.language}`,
        metaCode: templateErrorCodes.doesNotExist,
      },
    ];
  }
  if (template.status !== 'APPROVED') {
    const why = template.reason ? ` (${template.reason})` : '';
    return [
      {
        field: 'template.name',
        message: `"${send.name}" (${send.language}) is ${template.status.toLowerCase()}${why}; only approved templates can be sent`,
        metaCode: template.status === 'PAUSED' ? templateErrorCodes.paused : templateErrorCodes.doesNotExist,
      },
    ];
  }
  return checkParameters(send, template);
}

function checkParameters(send: TemplateSend, template: MessageTemplateRecord): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const components = send.components ?? [];
  const spec = template.parameters;
  const named = template.parameter_format === 'NAMED';
  const given = (type: string, index?: number) =>
    components.findIndex(
      (component) => component.type === type && (index === undefined || Number(component.index) === index),
    );
  const expect = (
    where: number,
    label: string,
    names: string[],
    accepts: (type: string) => boolean,
    kind: string,
    isNamed = named && kind === 'text',
  ) => {
    const parameters = where >= 0 ? (components[where]?.parameters ?? []) : [];
    const field = where >= 0 ? `template.components[${where}].parameters` : 'template.components';
    if (parameters.length !== names.length) {
      problems.push({
        field,
        message: `the ${label} takes ${names.length} parameter(s), ${parameters.length} given`,
        metaCode: templateErrorCodes.parameterCount,
      });
      return;
    }
    parameters.forEach((parameter, index) => {
      if (!accepts(parameter.type))
        problems.push({
          field: `${field}[${index}].type`,
          message: `the ${label} takes ${kind}, not ${parameter.type}`,
          metaCode: templateErrorCodes.parameterFormat,
        });
      if (isNamed && !names.includes(parameter.parameter_name ?? ''))
        problems.push({
          field: `${field}[${index}].parameter_name`,
          message: `the ${label}'s variables are ${names.join(', ')}`,
          metaCode: templateErrorCodes.parameterFormat,
        });
    });
  };
  if (spec.header) {
    const media = mediaParameterOf[spec.header.format];
    if (media) expect(given('header'), 'header', ['media'], (type) => type === media, media);
    else expect(given('header'), 'header', spec.header.names, (type) => textParameterTypes.has(type), 'text');
  } else if (given('header') >= 0) {
    problems.push({
      field: `template.components[${given('header')}]`,
      message: 'this template has no header parameters',
      metaCode: templateErrorCodes.parameterCount,
    });
  }
  expect(given('body'), 'body', spec.body.names, (type) => textParameterTypes.has(type), 'text');
  // Meta: a URL (or OTP) button's suffix is a text, a copy-code button's value a coupon_code; button values are
  // positional even in a NAMED template (no parameter_name).
  for (const button of spec.buttons) {
    const kind = button.type === 'COPY_CODE' ? 'coupon_code' : 'text';
    expect(
      given('button', button.index),
      `button ${button.index}`,
      button.names,
      (type) => type === kind,
      kind,
      false,
    );
  }
  components.forEach((component, index) => {
    if (component.type !== 'button') return;
    const wanted = spec.buttons.some((button) => button.index === Number(component.index));
    const quickReply = component.sub_type === 'quick_reply';
    if (!wanted && !quickReply)
      problems.push({
        field: `template.components[${index}]`,
        message: `button ${component.index} of this template takes no parameters`,
        metaCode: templateErrorCodes.parameterCount,
      });
  });
  return problems;
}
