import { templateParameter } from '@wa-broker/shared/notifications';
import { templateLimits, templateNamePattern } from '@wa-broker/shared/template-definition-rules';
import { z } from 'zod';

/**
 * Meta's rules for template sends (docs/whatsapp-cloud-api.md §5.5, §7.3), checked before anything is queued
 * so a caller gets a field-level 400 instead of 132000/132001/132007/132012 per recipient later.
 */
export const templateRules = {
  name: templateNamePattern,
  /** `en`, `en_US`, `zh_Hant_HK`-style codes as listed by Meta's supported languages. */
  language: /^[a-z]{2,3}(_[A-Za-z]{2,4})?(_[A-Z]{2})?$/,
  headerText: templateLimits.headerTextMaxLength,
  parameterText: templateLimits.bodyMaxLength,
  buttons: templateLimits.buttonsMax,
  buttonPayload: 128,
} as const;

/** Meta refuses text parameters with new lines, tabs or more than 4 consecutive spaces (132007). */
export function textParameterProblem(text: string, max: number): string | undefined {
  if (text.trim().length === 0) return 'must not be empty';
  if (/[\n\t]/.test(text)) return 'must not contain new lines or tabs';
  if (/ {5,}/.test(text)) return 'must not contain more than 4 consecutive spaces';
  if (text.length > max) return `must be at most ${max} characters`;
  return undefined;
}

/** A parameter: a plain string is a text parameter; objects are Meta's own parameter shapes. */
const parameter = z.union([z.string(), templateParameter]);
export type ParameterInput = z.infer<typeof parameter>;

const button = z.strictObject({
  sub_type: z.enum(['quick_reply', 'url']),
  index: z
    .number()
    .int()
    .min(0)
    .max(templateRules.buttons - 1),
  parameters: z.array(parameter).min(1).max(1),
});

export const recipientParameters = z.strictObject({
  header: z.array(parameter).max(1).optional(),
  body: z.array(parameter).max(100).optional(),
  buttons: z.array(button).max(templateRules.buttons).optional(),
});
export type RecipientParameters = z.infer<typeof recipientParameters>;

const recipient = z.strictObject({
  to: z
    .string()
    .meta({ description: 'The user’s phone in international format, e.g. +15550001111' })
    .refine(
      (value) => /^\+?[1-9]\d{6,14}$/.test(normalisePhone(value)),
      'must be a phone number with country code',
    ),
  parameters: recipientParameters.optional(),
});

/** `+1 (555) 000-1111` → `15550001111`: Meta accepts these characters and so do we (§5.1). */
export function normalisePhone(value: string): string {
  return value.replace(/[\s()+-]/g, '');
}

export function createNotificationBody(maxRecipients: number) {
  return z
    .strictObject({
      template: z.strictObject({
        name: z
          .string()
          .max(templateLimits.nameMaxLength)
          .regex(templateRules.name, 'must be lower-case letters, digits and underscores'),
        language: z.string().regex(templateRules.language, 'must be a language code such as en or en_US'),
      }),
      recipients: z.array(recipient).min(1).max(maxRecipients),
      send_at: z.iso.datetime({ offset: true }).optional().meta({ description: 'Send later (ISO 8601)' }),
      idempotency_key: z.string().min(1).max(200).optional(),
    })
    .superRefine((body, ctx) => {
      const seen = new Map<string, number>();
      body.recipients.forEach((r, i) => {
        const phone = normalisePhone(r.to);
        if (seen.has(phone))
          ctx.addIssue({
            code: 'custom',
            path: ['recipients', i, 'to'],
            message: `repeats recipients.${seen.get(phone)}`,
          });
        seen.set(phone, i);
        for (const problem of parameterProblems(r.parameters))
          ctx.addIssue({
            code: 'custom',
            path: ['recipients', i, 'parameters', ...problem.path],
            message: problem.message,
          });
      });
    });
}
export type CreateNotificationBody = z.infer<ReturnType<typeof createNotificationBody>>;

interface Problem {
  path: (string | number)[];
  message: string;
}

/** The rules zod's shapes cannot say: text formats, header limits, named and positional not mixed. */
export function parameterProblems(parameters: RecipientParameters | undefined): Problem[] {
  if (!parameters) return [];
  const problems: Problem[] = [];
  const check = (list: ParameterInput[] | undefined, path: (string | number)[], max: number) => {
    (list ?? []).forEach((p, i) => {
      const text = typeof p === 'string' ? p : p.type === 'text' ? p.text : undefined;
      const problem = text === undefined ? undefined : textParameterProblem(text, max);
      if (problem) problems.push({ path: [...path, i], message: problem });
      if (typeof p === 'object' && (p.type === 'image' || p.type === 'video' || p.type === 'document')) {
        const media = p.type === 'image' ? p.image : p.type === 'video' ? p.video : p.document;
        if (!media.link === !media.id)
          problems.push({ path: [...path, i], message: 'needs exactly one of link or id' });
      }
    });
    const named = (list ?? []).filter(
      (p) => typeof p === 'object' && 'parameter_name' in p && p.parameter_name,
    );
    if (named.length > 0 && named.length !== (list ?? []).length)
      problems.push({ path, message: 'must not mix named and positional parameters' });
  };
  check(parameters.header, ['header'], templateRules.headerText);
  check(parameters.body, ['body'], templateRules.parameterText);
  const indexes = new Set<number>();
  parameters.buttons?.forEach((b, i) => {
    if (indexes.has(b.index))
      problems.push({ path: ['buttons', i, 'index'], message: 'repeats another button' });
    indexes.add(b.index);
    check(b.parameters, ['buttons', i, 'parameters'], templateRules.buttonPayload);
  });
  return problems;
}
