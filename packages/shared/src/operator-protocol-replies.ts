import { z } from 'zod';
import { metaLimits } from './meta-limits.js';

const { list, buttons } = metaLimits;

const optionalLine = (max: number) => z.string().trim().max(max).optional();

const listRow = z.object({
  id: z.string().trim().min(1, 'row id is required').max(list.rowId),
  title: z.string().trim().min(1, 'row title is required').max(list.rowTitle),
  description: optionalLine(list.rowDescription),
});

/** What an operator sends: a free-form text while the 24 h window is open. */
export const textReply = z.object({
  kind: z.literal('text'),
  text: z.string().trim().min(1, 'text is required').max(metaLimits.textBody),
});

/** An interactive list: a button that opens sections of rows (Meta: at most 10 rows in all). */
export const listReply = z
  .object({
    kind: z.literal('list'),
    body: z.string().trim().min(1, 'body is required').max(list.body),
    button: z.string().trim().min(1, 'button label is required').max(list.button),
    header: optionalLine(list.header),
    footer: optionalLine(list.footer),
    sections: z
      .array(
        z.object({
          title: z.string().trim().min(1, 'section title is required').max(list.sectionTitle),
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
    body: z.string().trim().min(1, 'body is required').max(buttons.body),
    header: optionalLine(buttons.header),
    footer: optionalLine(buttons.footer),
    buttons: z
      .array(
        z.object({
          id: z.string().trim().min(1, 'button id is required').max(buttons.id),
          title: z.string().trim().min(1, 'button title is required').max(buttons.title),
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

/** An approved template; the only kind Meta accepts once the 24 h window has closed. */
export const templateReply = z.object({
  kind: z.literal('template'),
  name: z.string().trim().min(1, 'template name is required').max(512),
  language: z.string().trim().min(2, 'language is required').max(15),
  /** Values of the body's `{{1}}`, `{{2}}`, … in order. */
  body_parameters: z.array(z.string().min(1, 'parameter values are required').max(1024)).max(20),
});

/** Any operator reply; validating a draft with it gives the form Meta's limits as field errors. */
export const operatorReply = z.discriminatedUnion('kind', [
  textReply,
  listReply,
  buttonsReply,
  templateReply,
]);
export type OperatorReply = z.infer<typeof operatorReply>;
export type OperatorReplyKind = OperatorReply['kind'];
