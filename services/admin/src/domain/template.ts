import {
  type MessageTemplateRecord,
  type ParameterFormat,
  parameterFormats,
  type TemplateCategory,
  type TemplateComponentDefinition,
  type TemplateQuality,
  type TemplateStatus,
  templateCategories,
  templateComponentDefinition,
  templateKey,
  templateQualities,
  templateStatuses,
} from '@wa-broker/shared/message-templates';
import { templateParameterSpec } from '@wa-broker/shared/template-definition-rules';

/**
 * The template store's pure rules (issue 19 §1): a Graph listing entry as our record, what a complete sync
 * changed, and what each template webhook changes. No I/O, no clock: `now` is given.
 */

/** What changed, as the `type` of the template-change event. */
export type TemplateChangeType = 'synced' | 'created' | 'status' | 'quality' | 'category' | 'deleted';

export interface TemplateChange {
  type: TemplateChangeType;
  template: MessageTemplateRecord;
}

/** One entry of `GET /{waba-id}/message_templates` (the fields we ask for); Meta adds others. */
export interface GraphTemplate {
  id?: unknown;
  name?: unknown;
  language?: unknown;
  status?: unknown;
  category?: unknown;
  components?: unknown;
  parameter_format?: unknown;
  quality_score?: { score?: unknown } | unknown;
  rejected_reason?: unknown;
}

const oneOf = <T extends string>(values: readonly T[], value: unknown): T | undefined =>
  typeof value === 'string' && (values as readonly string[]).includes(value.toUpperCase())
    ? (value.toUpperCase() as T)
    : undefined;

/** Meta writes `NONE` (or nothing) when there is no reason. */
const reasonOf = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' && value.toUpperCase() !== 'NONE' ? value : null;

function componentsOf(value: unknown): TemplateComponentDefinition[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const parsed = value.map((component) => templateComponentDefinition.safeParse(component));
  return parsed.every((result) => result.success) ? parsed.map((result) => result.data) : undefined;
}

/**
 * A listing entry as the stored record, or the reason it cannot be one (it is then skipped: the sync does not
 * count as complete for deletions, see {@link diffSync}).
 */
export function recordFromGraph(
  wabaId: string,
  entry: GraphTemplate,
  now: Date,
): { ok: true; template: MessageTemplateRecord } | { ok: false; problem: string } {
  const id = typeof entry.id === 'string' || typeof entry.id === 'number' ? String(entry.id) : undefined;
  const name = typeof entry.name === 'string' ? entry.name : undefined;
  const language = typeof entry.language === 'string' ? entry.language : undefined;
  const status = oneOf<TemplateStatus>(templateStatuses, entry.status);
  const category = oneOf<TemplateCategory>(templateCategories, entry.category);
  const components = componentsOf(entry.components ?? []);
  if (!id || !/^\d{1,32}$/.test(id)) return { ok: false, problem: 'no numeric id' };
  if (!name || !language) return { ok: false, problem: `template ${id} has no name or language` };
  if (!status) return { ok: false, problem: `template ${id} has an unknown status ${String(entry.status)}` };
  if (!category)
    return { ok: false, problem: `template ${id} has an unknown category ${String(entry.category)}` };
  if (!components) return { ok: false, problem: `template ${id} has unreadable components` };
  const score =
    entry.quality_score && typeof entry.quality_score === 'object'
      ? (entry.quality_score as { score?: unknown }).score
      : undefined;
  return {
    ok: true,
    template: {
      id,
      waba_id: wabaId,
      name,
      language,
      category,
      status,
      quality: oneOf<TemplateQuality>(templateQualities, score) ?? 'UNKNOWN',
      reason: reasonOf(entry.rejected_reason),
      parameter_format: oneOf<ParameterFormat>(parameterFormats, entry.parameter_format) ?? 'POSITIONAL',
      components,
      parameters: templateParameterSpec(components),
      updated_at: now.toISOString(),
    },
  };
}

/** Everything but `updated_at`: two records that differ only there are the same template state. */
function sameState(a: MessageTemplateRecord, b: MessageTemplateRecord): boolean {
  const { updated_at: _a, ...left } = a;
  const { updated_at: _b, ...right } = b;
  return JSON.stringify(left) === JSON.stringify(right);
}

/**
 * What a sync of one WABA changes: each listed template that is new or differs from the stored one, and, when
 * the listing is `complete` (every page read, every entry readable), each stored template Meta no longer lists
 * becomes `DELETED`. An incomplete listing never deletes.
 */
export function diffSync(
  stored: readonly MessageTemplateRecord[],
  listed: readonly MessageTemplateRecord[],
  complete: boolean,
  now: Date,
): MessageTemplateRecord[] {
  const byKey = new Map(stored.map((template) => [templateKey(template), template]));
  const seen = new Set<string>();
  const changed: MessageTemplateRecord[] = [];
  for (const template of listed) {
    const key = templateKey(template);
    if (seen.has(key)) continue;
    seen.add(key);
    const current = byKey.get(key);
    if (!current || !sameState(current, template))
      changed.push({ ...template, updated_at: now.toISOString() });
  }
  if (complete)
    for (const template of stored)
      if (!seen.has(templateKey(template)) && template.status !== 'DELETED')
        changed.push({ ...template, status: 'DELETED', updated_at: now.toISOString() });
  return changed;
}

/** A template webhook (meta-2026-changes.md §1.8) reduced to what it changes. */
export type TemplateWebhook =
  | { kind: 'status'; templateId: string; status: TemplateStatus; reason: string | null }
  | { kind: 'quality'; templateId: string; quality: TemplateQuality }
  | { kind: 'category'; templateId: string; category: TemplateCategory };

export const templateWebhookFields = [
  'message_template_status_update',
  'message_template_quality_update',
  'template_category_update',
] as const;

/**
 * Reads a business event's `field` and `value`: `undefined` for a field that is not a template webhook, a
 * problem for one we cannot read (logged, skipped).
 */
export function readTemplateWebhook(
  field: string,
  value: unknown,
): TemplateWebhook | { problem: string } | undefined {
  if (!(templateWebhookFields as readonly string[]).includes(field)) return undefined;
  const body = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const rawId = body.message_template_id;
  const templateId = typeof rawId === 'number' || typeof rawId === 'string' ? String(rawId) : '';
  if (!/^\d{1,32}$/.test(templateId)) return { problem: `${field} without a message_template_id` };
  if (field === 'message_template_status_update') {
    const status = oneOf<TemplateStatus>(templateStatuses, body.event);
    if (!status) return { problem: `${field} with an unknown event ${String(body.event)}` };
    return { kind: 'status', templateId, status, reason: reasonOf(body.reason) };
  }
  if (field === 'message_template_quality_update') {
    const quality = oneOf<TemplateQuality>(templateQualities, body.new_quality_score);
    if (!quality) return { problem: `${field} with an unknown new_quality_score` };
    return { kind: 'quality', templateId, quality };
  }
  const category = oneOf<TemplateCategory>(templateCategories, body.new_category);
  if (!category) return { problem: `${field} with an unknown new_category` };
  return { kind: 'category', templateId, category };
}

/** The template after a webhook, or `undefined` when it changes nothing (a redelivery). */
export function applyTemplateWebhook(
  template: MessageTemplateRecord,
  webhook: TemplateWebhook,
  now: Date,
): TemplateChange | undefined {
  const updated_at = now.toISOString();
  if (webhook.kind === 'status') {
    if (template.status === webhook.status && template.reason === webhook.reason) return undefined;
    return {
      type: 'status',
      template: { ...template, status: webhook.status, reason: webhook.reason, updated_at },
    };
  }
  if (webhook.kind === 'quality') {
    if (template.quality === webhook.quality) return undefined;
    return { type: 'quality', template: { ...template, quality: webhook.quality, updated_at } };
  }
  if (template.category === webhook.category) return undefined;
  return { type: 'category', template: { ...template, category: webhook.category, updated_at } };
}

/** The record of a template Meta just accepted (`POST /{waba-id}/message_templates`). */
export function createdRecord(
  input: NewTemplate,
  accepted: { id: string; status?: string | undefined; category?: string | undefined },
  now: Date,
): MessageTemplateRecord {
  return {
    id: accepted.id,
    waba_id: input.wabaId,
    name: input.name,
    language: input.language,
    category: oneOf<TemplateCategory>(templateCategories, accepted.category) ?? input.category,
    status: oneOf<TemplateStatus>(templateStatuses, accepted.status) ?? 'PENDING',
    quality: 'UNKNOWN',
    reason: null,
    parameter_format: input.parameterFormat ?? 'POSITIONAL',
    components: input.components,
    parameters: templateParameterSpec(input.components),
    updated_at: now.toISOString(),
  };
}

export interface NewTemplate {
  wabaId: string;
  name: string;
  language: string;
  category: TemplateCategory;
  parameterFormat?: ParameterFormat | undefined;
  components: TemplateComponentDefinition[];
}

/** A Graph API refusal or failure, as the Graph adapter reports it. */
export interface GraphFailure {
  /** HTTP status Meta answered; 0 when no answer arrived (network, timeout). */
  httpStatus: number;
  code?: number | undefined;
  subcode?: number | undefined;
  message: string;
}

/**
 * How the admin answers a Graph failure on create or delete: Meta's rate limits (80007 per WABA, 4 per app,
 * whatsapp-cloud-api.md §7.1) → 429; Meta's refusal of the request → 422 with its message; a refused token
 * (190, 401/403) or no answer / a 5xx → 502.
 */
export function graphFailureKind(failure: GraphFailure): 'rate_limited' | 'refused' | 'unavailable' {
  if (failure.code === 80007 || failure.code === 4 || failure.httpStatus === 429) return 'rate_limited';
  if (failure.code === 190 || failure.httpStatus === 401 || failure.httpStatus === 403) return 'unavailable';
  if (failure.httpStatus >= 400 && failure.httpStatus < 500) return 'refused';
  return 'unavailable';
}
