import { z } from 'zod';
import { metaId } from './business-numbers.js';

/**
 * Message templates as Meta keeps them per WABA (issue 19; whatsapp-cloud-api.md §5.5 for sends,
 * meta-2026-changes.md §1.8 for the template webhooks). Meta's wire names and enum spellings are kept: the
 * admin stores what `GET /{waba-id}/message_templates` returns, and everyone else reads that record.
 */
export const templateCategories = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type TemplateCategory = (typeof templateCategories)[number];

/** Meta's review and lifecycle states; only `APPROVED` templates can be sent. */
export const templateStatuses = [
  'APPROVED',
  'PENDING',
  'REJECTED',
  'PAUSED',
  'DISABLED',
  'IN_APPEAL',
  'PENDING_DELETION',
  'DELETED',
  'ARCHIVED',
  'LIMIT_EXCEEDED',
] as const;
export type TemplateStatus = (typeof templateStatuses)[number];

/** Meta's quality rating of a template (`quality_score.score`). */
export const templateQualities = ['GREEN', 'YELLOW', 'RED', 'UNKNOWN'] as const;
export type TemplateQuality = (typeof templateQualities)[number];

/** `{{1}}`-style (positional) or `{{customer_name}}`-style (named) variables. */
export const parameterFormats = ['POSITIONAL', 'NAMED'] as const;
export type ParameterFormat = (typeof parameterFormats)[number];

export const headerFormats = ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'] as const;
export type HeaderFormat = (typeof headerFormats)[number];

export const templateButtonTypes = [
  'QUICK_REPLY',
  'URL',
  'PHONE_NUMBER',
  'COPY_CODE',
  'OTP',
  'FLOW',
  'CATALOG',
  'MPM',
] as const;

/** One button of a `BUTTONS` component, as Meta defines it (loose: Meta adds fields). */
export const templateButtonDefinition = z.looseObject({
  type: z.enum(templateButtonTypes),
  text: z.string().optional(),
  url: z.string().optional(),
  phone_number: z.string().optional(),
  example: z.union([z.array(z.string()), z.string()]).optional(),
});
export type TemplateButtonDefinition = z.infer<typeof templateButtonDefinition>;

/**
 * A component of a template definition, as Meta takes it on create and returns it on list: `HEADER` (with its
 * `format`), `BODY`, `FOOTER`, `BUTTONS`. `example` holds Meta's sample values (`header_text`, `body_text`,
 * `header_handle`, `header_text_named_params`, `body_text_named_params`).
 */
export const templateComponentDefinition = z.looseObject({
  type: z.enum(['HEADER', 'BODY', 'FOOTER', 'BUTTONS']),
  format: z.enum(headerFormats).optional(),
  text: z.string().optional(),
  example: z.record(z.string(), z.unknown()).optional(),
  buttons: z.array(templateButtonDefinition).optional(),
});
export type TemplateComponentDefinition = z.infer<typeof templateComponentDefinition>;

/**
 * What a send must give, derived from the definition ({@link templateParameterSpec} in
 * template-definition-rules.ts): the header's kind and variables, the body's variables, and each button that
 * takes a parameter (by index). Names are the variables' names (`1`, `2`… for positional ones), in the order
 * the text uses them first.
 */
export const templateParameterSpec = z.object({
  header: z.object({ format: z.enum(headerFormats), names: z.array(z.string()) }).nullable(),
  body: z.object({ names: z.array(z.string()) }),
  buttons: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      type: z.enum(templateButtonTypes),
      /** Parameters the send gives for it: a dynamic URL suffix, a coupon code, a quick reply's payload. */
      names: z.array(z.string()),
    }),
  ),
});
export type TemplateParameterSpec = z.infer<typeof templateParameterSpec>;

/** A template in one language, as the admin stores it and publishes it on `template-changes`. */
export const messageTemplateRecord = z.object({
  /** Meta's template id (`hsm_id`); one per name and language. */
  id: metaId,
  waba_id: metaId,
  name: z.string().min(1).max(512),
  /** Meta's language code, e.g. `en_US`, `pt_BR`. */
  language: z.string().min(2).max(15),
  category: z.enum(templateCategories),
  status: z.enum(templateStatuses),
  quality: z.enum(templateQualities),
  /** Meta's reason for a rejection, pause or disable, when it gave one. */
  reason: z.string().nullable(),
  parameter_format: z.enum(parameterFormats),
  components: z.array(templateComponentDefinition),
  parameters: templateParameterSpec,
  /** When the broker last learnt something about it (sync or webhook). */
  updated_at: z.iso.datetime(),
});
export type MessageTemplateRecord = z.infer<typeof messageTemplateRecord>;

export const templateChangeTypes = ['synced', 'created', 'status', 'quality', 'category', 'deleted'] as const;

/**
 * Admin → everyone who checks sends (router, notify, agent-backend, SDK), on the compacted `template-changes`
 * topic keyed by {@link templateKey}; each event carries the template's full current state. A deleted template
 * is `status: DELETED`.
 */
export const templateChangeEvent = z.object({
  v: z.literal(1),
  type: z.enum(templateChangeTypes),
  template: messageTemplateRecord,
  published_at: z.iso.datetime(),
});
export type TemplateChangeEvent = z.infer<typeof templateChangeEvent>;

/** The key of a template everywhere (Kafka key, maps): one per WABA, name and language. */
export const templateKey = (template: { waba_id: string; name: string; language: string }): string =>
  `${template.waba_id}:${template.name}:${template.language}`;

/**
 * Templates by WABA, name and language, as a follower of template-changes keeps them (router, notify,
 * agent-backend): every language of a name is what the send rules need (template-send-rules.ts
 * `checkTemplateSend`).
 */
export class TemplateIndex {
  private readonly byWaba = new Map<string, Map<string, Map<string, MessageTemplateRecord>>>();

  apply(record: MessageTemplateRecord): void {
    const names = this.byWaba.get(record.waba_id) ?? new Map<string, Map<string, MessageTemplateRecord>>();
    this.byWaba.set(record.waba_id, names);
    const languages = names.get(record.name) ?? new Map<string, MessageTemplateRecord>();
    names.set(record.name, languages);
    languages.set(record.language, record);
  }

  /** A tombstone, by {@link templateKey}: the template is forgotten. */
  remove(key: string): void {
    const [waba = '', name = '', language = ''] = key.split(':');
    this.byWaba.get(waba)?.get(name)?.delete(language);
  }

  /** Whether the store has published anything of this WABA (else nothing can be said of its templates). */
  knows(wabaId: string): boolean {
    return this.byWaba.has(wabaId);
  }

  /** Every language of `name` on the WABA; empty when the name is unknown there. */
  recordsOf(wabaId: string, name: string): MessageTemplateRecord[] {
    return [...(this.byWaba.get(wabaId)?.get(name)?.values() ?? [])];
  }

  /** Every template of the WABA. */
  all(wabaId: string): MessageTemplateRecord[] {
    return [...(this.byWaba.get(wabaId)?.values() ?? [])].flatMap((languages) => [...languages.values()]);
  }
}
