import { z } from 'zod';
import type { AgentOutboundMessage } from './agent-outbound.js';
import { metaLimits } from './meta-limits.js';
import { metaMediaTypes } from './meta-media-types.js';
import { charCount } from './outbound-rules.js';

const { list, buttons } = metaLimits;

/** A trimmed string of at most `max` characters counted as Meta counts them (code points: an emoji is one). */
const line = (max: number) =>
  z
    .string()
    .trim()
    .refine((value) => charCount(value) <= max, { message: `at most ${max} characters` });
const optionalLine = (max: number) => line(max).optional();

const listRow = z.object({
  id: line(list.rowId).min(1, 'row id is required'),
  title: line(list.rowTitle).min(1, 'row title is required'),
  description: optionalLine(list.rowDescription),
});

/** What an operator sends: a free-form text while the 24 h window is open. */
export const textReply = z.object({
  kind: z.literal('text'),
  text: line(metaLimits.textBody).min(1, 'text is required'),
});

/** An interactive list: a button that opens sections of rows (Meta: at most 10 rows in all). */
export const listReply = z
  .object({
    kind: z.literal('list'),
    body: line(list.body).min(1, 'body is required'),
    button: line(list.button).min(1, 'button label is required'),
    header: optionalLine(list.header),
    footer: optionalLine(list.footer),
    sections: z
      .array(
        z.object({
          title: line(list.sectionTitle).min(1, 'section title is required'),
          rows: z.array(listRow).min(1, 'a section needs a row'),
        }),
      )
      .min(1, 'a list needs a section')
      .max(list.sections),
  })
  .superRefine((value, ctx) => {
    const rows = value.sections.flatMap((section) => section.rows);
    if (rows.length > list.rowsTotal)
      ctx.addIssue({ code: 'custom', path: ['sections'], message: `at most ${list.rowsTotal} rows in all` });
    if (new Set(rows.map((row) => row.id)).size !== rows.length)
      ctx.addIssue({ code: 'custom', path: ['sections'], message: 'row ids must be unique' });
  });

/** Up to three reply buttons under a body text. */
export const buttonsReply = z
  .object({
    kind: z.literal('buttons'),
    body: line(buttons.body).min(1, 'body is required'),
    header: optionalLine(buttons.header),
    footer: optionalLine(buttons.footer),
    buttons: z
      .array(
        z.object({
          id: line(buttons.id).min(1, 'button id is required'),
          title: line(buttons.title).min(1, 'button title is required'),
        }),
      )
      .min(1, 'add a button')
      .max(buttons.count),
  })
  .superRefine((value, ctx) => {
    const ids = value.buttons.map((button) => button.id);
    const titles = value.buttons.map((button) => button.title);
    if (new Set(ids).size !== ids.length || new Set(titles).size !== titles.length)
      ctx.addIssue({ code: 'custom', path: ['buttons'], message: 'button ids and titles must be unique' });
  });

const parameterValue = z.string().min(1, 'parameter values are required').max(1024);
const variableName = z.string().min(1).max(100);

/** The file of an IMAGE, VIDEO or DOCUMENT header: a media id the inbox's upload (`POST /api/media`) answered. */
const headerMedia = z.object({
  type: z.enum(['image', 'video', 'document']),
  id: z.string().min(1, 'upload the file first'),
  /** document only: the name the user sees. */
  filename: z.string().max(240).optional(),
});

/**
 * The value of a button that takes one, by the button's position in the template: a URL button's suffix
 * (`sub_type` `url`, the default) or a copy-code button's coupon code (`copy_code`).
 */
const buttonParameter = z.object({
  index: z.number().int().min(0).max(9),
  text: parameterValue,
  sub_type: z.enum(['url', 'copy_code']).optional(),
});

/**
 * An approved template; the only kind Meta accepts once the 24 h window has closed. Values are given in the
 * order the template uses its variables first (`{{1}}`, `{{2}}`… or `{{order_id}}`, … as the template record's
 * `parameters` lists them); a template with named variables also names them in `parameter_names`.
 */
export const templateReply = z
  .object({
    kind: z.literal('template'),
    name: line(512).min(1, 'template name is required'),
    language: line(15).min(2, 'language is required'),
    /** Values of the body's variables, in order. */
    body_parameters: z.array(parameterValue).max(20),
    /** Value of a text header's variable (Meta allows one). */
    header_parameters: z.array(parameterValue).max(1).optional(),
    /** The header's file, for a template whose header is an image, a video or a document. */
    header_media: headerMedia.optional(),
    /** Values of the buttons that take one (a URL's `{{1}}` suffix, a coupon code), each once. */
    button_parameters: z.array(buttonParameter).max(10).optional(),
    /** Named templates only: the variable each value fills, in the same order as the values. */
    parameter_names: z
      .object({
        header: z.array(variableName).max(1).optional(),
        body: z.array(variableName).max(20).optional(),
      })
      .optional(),
  })
  .superRefine((value, ctx) => {
    const names = value.parameter_names;
    if (names?.body && names.body.length !== value.body_parameters.length)
      ctx.addIssue({ code: 'custom', path: ['parameter_names', 'body'], message: 'one name per body value' });
    if (names?.header && names.header.length !== (value.header_parameters ?? []).length)
      ctx.addIssue({
        code: 'custom',
        path: ['parameter_names', 'header'],
        message: 'one name per header value',
      });
    if (value.header_media && value.header_parameters?.length)
      ctx.addIssue({
        code: 'custom',
        path: ['header_media'],
        message: 'a header is a text or a file, not both',
      });
    const indexes = (value.button_parameters ?? []).map((button) => button.index);
    if (new Set(indexes).size !== indexes.length)
      ctx.addIssue({ code: 'custom', path: ['button_parameters'], message: 'one value per button' });
  });
export type TemplateReply = z.infer<typeof templateReply>;

/**
 * A photo, voice note, video, document or sticker the operator uploaded first (`POST /api/media` on the agent
 * backend answers the `id`). Which fields each type may carry is the shared outbound rules' (outbound-rules.ts).
 */
export const mediaReply = z.object({
  kind: z.literal('media'),
  media_type: z.enum(metaMediaTypes),
  id: z.string().min(1, 'upload the file first'),
  caption: optionalLine(metaLimits.mediaCaption),
  filename: z.string().max(240).optional(),
  voice: z.boolean().optional(),
});

/** Any operator reply; validating a draft with it gives the form Meta's limits as field errors. */
export const operatorReply = z.discriminatedUnion('kind', [
  textReply,
  listReply,
  buttonsReply,
  templateReply,
  mediaReply,
]);
export type OperatorReply = z.infer<typeof operatorReply>;
export type OperatorReplyKind = OperatorReply['kind'];

/**
 * The `-out` fields an operator reply becomes (the agent backend publishes them; the operator UI checks them
 * with the shared outbound rules before sending, so both refuse the same drafts the router would).
 */
export function operatorReplyToOutbound(reply: OperatorReply): Omit<AgentOutboundMessage, 'waID'> {
  switch (reply.kind) {
    case 'text':
      return { message_type: 'text', text: reply.text };
    case 'list': {
      const [only, ...others] = reply.sections;
      // The original's single-section shape (list_body = section title) where it fits; sections otherwise.
      return {
        message_type: 'list',
        text: reply.body,
        list_title: reply.button,
        ...(only && others.length === 0
          ? { list_body: only.title, list_items: only.rows }
          : { list_sections: reply.sections }),
        ...(reply.header ? { header: reply.header } : {}),
        ...(reply.footer ? { footer: reply.footer } : {}),
      };
    }
    case 'buttons':
      return {
        message_type: 'buttons',
        text: reply.body,
        buttons: reply.buttons,
        ...(reply.header ? { header: reply.header } : {}),
        ...(reply.footer ? { footer: reply.footer } : {}),
      };
    case 'media':
      return {
        message_type: reply.media_type,
        media: {
          id: reply.id,
          ...(reply.caption ? { caption: reply.caption } : {}),
          ...(reply.filename ? { filename: reply.filename } : {}),
          ...(reply.voice ? { voice: true } : {}),
        },
      };
    case 'template':
      return { message_type: 'template', template: templateSendOf(reply) };
  }
}

type TemplateSendComponent = NonNullable<NonNullable<AgentOutboundMessage['template']>['components']>[number];

/** A header's file as Meta's media parameter (`{type:'image', image:{id}}`; a document keeps its file name). */
function headerMediaOf(media: NonNullable<TemplateReply['header_media']>): TemplateSendComponent {
  const object = {
    id: media.id,
    ...(media.type === 'document' && media.filename ? { filename: media.filename } : {}),
  };
  return { type: 'header', parameters: [{ type: media.type, [media.type]: object }] };
}

/** A button's value: a URL suffix is a text, a copy-code button's value a `coupon_code` (Meta's shapes). */
function buttonOf(button: NonNullable<TemplateReply['button_parameters']>[number]): TemplateSendComponent {
  const subType = button.sub_type ?? 'url';
  return {
    type: 'button',
    sub_type: subType,
    index: String(button.index),
    parameters: [
      subType === 'copy_code'
        ? { type: 'coupon_code', coupon_code: button.text }
        : { type: 'text', text: button.text },
    ],
  };
}

/**
 * Meta's `template` object of a template reply: text parameters of the header and body (named if given), the
 * header's file and the buttons' values.
 */
export function templateSendOf(reply: TemplateReply): NonNullable<AgentOutboundMessage['template']> {
  const parametersOf = (values: string[], names: string[] | undefined) =>
    values.map((text, index) => {
      const name = names?.[index];
      return { type: 'text', text, ...(name ? { parameter_name: name } : {}) };
    });
  const header = reply.header_parameters ?? [];
  const components: TemplateSendComponent[] = [
    ...(reply.header_media ? [headerMediaOf(reply.header_media)] : []),
    ...(header.length > 0
      ? [{ type: 'header' as const, parameters: parametersOf(header, reply.parameter_names?.header) }]
      : []),
    ...(reply.body_parameters.length > 0
      ? [
          {
            type: 'body' as const,
            parameters: parametersOf(reply.body_parameters, reply.parameter_names?.body),
          },
        ]
      : []),
    ...[...(reply.button_parameters ?? [])].sort((a, b) => a.index - b.index).map(buttonOf),
  ];
  return { name: reply.name, language: reply.language, ...(components.length > 0 ? { components } : {}) };
}
