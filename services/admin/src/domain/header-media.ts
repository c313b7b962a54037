import type { TemplateComponentDefinition } from '@wa-broker/shared/message-templates';
import { checkOutboundMedia, metaMediaRules } from '@wa-broker/shared/meta-media-rules';
import { checkTemplateDefinition } from '@wa-broker/shared/template-definition-rules';
import type { FieldProblem } from './errors.js';
import type { GraphResult } from './ports.js';
import type { NewTemplate } from './template.js';

/**
 * A template's media header sample given as a file (issue 19 §2: "header media through the media upload"):
 * checked with Meta's media rules for the header's format, uploaded through the Resumable Upload API, and its
 * handle put into the header's `example.header_handle`. No I/O here.
 */

/** A header format that takes a sample file, and the media type whose rules the file must meet. */
export const headerSampleTypes = { IMAGE: 'image', VIDEO: 'video', DOCUMENT: 'document' } as const;
type SampleFormat = keyof typeof headerSampleTypes;

/**
 * The largest sample a header format takes, by `@wa-broker/shared/meta-media-rules`: document's 100 MB (image
 * 5 MB, video 16 MB); what the create route's body limit is sized for.
 */
export const largestHeaderSampleBytes = Math.max(
  ...Object.values(headerSampleTypes).map((type) => metaMediaRules[type].maxBytes),
);

export interface HeaderSampleFile {
  bytes: Buffer;
  mimeType: string;
  filename: string;
}

/** Meta's Resumable Upload API (`/{app-id}/uploads`, then `/upload:<session>`): the file's handle. */
export interface HeaderSampleUploads {
  upload(token: string, file: HeaderSampleFile): Promise<GraphResult<string>>;
}

export type HeaderSamplePlan =
  | { ok: true; index: number; format: SampleFormat }
  | { ok: false; problems: FieldProblem[] };

/**
 * Where a sample file goes (the media header's index) and whether Meta would take it for that format; the
 * problems are by field (`header_media`, `header_media.mime_type`, `header_media.size`).
 */
export function planHeaderSample(
  components: readonly TemplateComponentDefinition[],
  file: HeaderSampleFile,
): HeaderSamplePlan {
  const index = components.findIndex((component) => component.type === 'HEADER');
  const format = components[index]?.format;
  if (index < 0 || !format || !(format in headerSampleTypes))
    return {
      ok: false,
      problems: [{ field: 'header_media', message: 'only for a HEADER of format IMAGE, VIDEO or DOCUMENT' }],
    };
  if (components[index]?.example?.header_handle !== undefined)
    return {
      ok: false,
      problems: [
        {
          field: 'header_media',
          message: `give the sample either as header_media or as components[${index}].example.header_handle, not both`,
        },
      ],
    };
  const sampleFormat = format as SampleFormat;
  const problems = checkOutboundMedia({
    type: headerSampleTypes[sampleFormat],
    mimeType: file.mimeType,
    size: file.bytes.length,
  }).map((problem) => ({
    field: `header_media.${problem.field}`,
    message: `a ${sampleFormat} header's sample: ${problem.message}`,
  }));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, index, format: sampleFormat };
}

/** The components with the header's `example.header_handle` set to `[handle]`. */
export function withHeaderHandle(
  components: readonly TemplateComponentDefinition[],
  index: number,
  handle: string,
): TemplateComponentDefinition[] {
  return components.map((component, at) =>
    at === index ? { ...component, example: { ...component.example, header_handle: [handle] } } : component,
  );
}

/**
 * Why Meta would refuse the definition (`checkTemplateDefinition`), with the sample file's own problems first;
 * a sample that fits stands in as a placeholder handle until the upload gives the real one.
 */
export function definitionProblems(input: NewTemplate, plan?: HeaderSamplePlan): FieldProblem[] {
  const components = plan?.ok
    ? withHeaderHandle(input.components, plan.index, 'header_media')
    : input.components;
  const problems = checkTemplateDefinition({
    name: input.name,
    language: input.language,
    category: input.category,
    ...(input.parameterFormat ? { parameter_format: input.parameterFormat } : {}),
    components,
  });
  // A sample file that does not fit speaks for the header's missing handle.
  const own = plan && !plan.ok ? plan.problems : [];
  return [
    ...own,
    ...problems
      .filter(({ field }) => own.length === 0 || !field.endsWith('.example.header_handle'))
      .map(({ field, message }) => ({ field, message })),
  ];
}
