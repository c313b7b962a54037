import type { OperatorTemplate, TemplateReply } from '@wa-broker/shared/operator-protocol';
import type { HeaderMediaType } from '../hooks/use-template-header-upload.js';
import type { TemplateValues } from './template-preview.js';

const mediaHeaders: Record<string, HeaderMediaType> = {
  IMAGE: 'image',
  VIDEO: 'video',
  DOCUMENT: 'document',
};

/** The kind of file the template's header takes (null: a text header, or none). */
export function headerMediaTypeOf(template: OperatorTemplate): HeaderMediaType | null {
  const format = template.parameters.header?.format;
  return (format && mediaHeaders[format]) ?? null;
}

/** What the picker cannot fill: a location header (sent through the API). */
export function unsupportedPart(template: OperatorTemplate): string | null {
  return template.parameters.header?.format === 'LOCATION' ? 'a location header' : null;
}

/**
 * The reply for the chosen template: values in the order the template uses its variables, named if it names
 * them; the header's uploaded file; each button's value in the template's order (a copy code as `copy_code`).
 */
export function templateReplyFor(
  template: OperatorTemplate,
  values: TemplateValues,
  headerMedia?: TemplateReply['header_media'] | null,
): TemplateReply {
  const headerNames = template.parameters.header?.format === 'TEXT' ? template.parameters.header.names : [];
  const bodyNames = template.parameters.body.names;
  const named = template.parameter_format === 'NAMED';
  const buttons = template.parameters.buttons;
  return {
    kind: 'template',
    name: template.name,
    language: template.language,
    body_parameters: bodyNames.map((name) => values.body[name]?.trim() ?? ''),
    ...(headerNames.length > 0
      ? { header_parameters: headerNames.map((name) => values.header[name]?.trim() ?? '') }
      : {}),
    ...(headerMedia ? { header_media: headerMedia } : {}),
    ...(buttons.length > 0
      ? {
          button_parameters: buttons.map((button) => ({
            index: button.index,
            text: values.buttons[String(button.index)]?.trim() ?? '',
            ...(button.type === 'COPY_CODE' ? { sub_type: 'copy_code' as const } : {}),
          })),
        }
      : {}),
    ...(named
      ? {
          parameter_names: {
            ...(headerNames.length > 0 ? { header: headerNames } : {}),
            ...(bodyNames.length > 0 ? { body: bodyNames } : {}),
          },
        }
      : {}),
  };
}
