import type { MessageTemplateRecord } from '@wa-broker/shared/message-templates';
import type { StoredTemplate } from './template-registry.js';

/** `GET /{waba-id}/message_templates`'s query, as Graph takes it (lists are comma-separated). */
export interface TemplateListQuery {
  limit?: string;
  after?: string;
  before?: string;
  name?: string;
  status?: string;
  category?: string;
  language?: string;
  fields?: string;
}

export const defaultTemplateFields = [
  'name',
  'language',
  'status',
  'category',
  'components',
  'parameter_format',
  'quality_score',
  'rejected_reason',
] as const;

/** Meta's own default page size for this edge. */
export const defaultTemplatePageSize = 25;
const maxPageSize = 1000;

/** Opaque to clients, like Graph's: the position of a template in the WABA's list. */
const cursorOf = (stored: StoredTemplate) => Buffer.from(`tpl:${stored.seq}`).toString('base64url');
function positionOf(cursor: string): number | undefined {
  const match = Buffer.from(cursor, 'base64url')
    .toString()
    .match(/^tpl:(\d+)$/);
  return match ? Number(match[1]) : undefined;
}

const listOf = (value: string | undefined) =>
  value
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** A template as the list shows it: `id` always, the other fields those asked for (all by default). */
export function templateView(
  record: MessageTemplateRecord,
  fields: readonly string[] = defaultTemplateFields,
) {
  const all: Record<string, unknown> = {
    name: record.name,
    language: record.language,
    status: record.status,
    category: record.category,
    components: record.components,
    parameter_format: record.parameter_format,
    quality_score: { score: record.quality },
    rejected_reason: record.status === 'REJECTED' ? (record.reason ?? 'NONE') : 'NONE',
  };
  const view: Record<string, unknown> = {};
  for (const field of fields) if (field in all) view[field] = all[field];
  view.id = record.id;
  return view;
}

export type TemplatePage = { ok: true; body: Record<string, unknown> } | { ok: false; problem: string };

/**
 * One page of a WABA's templates, paged like Graph's cursor-based edges: `paging.cursors.before/after` point at
 * the page's first and last item, `next` (`previous`) is the URL of the following (preceding) page and appears
 * only when there is one; an empty page is `{data: []}`. `pageUrl` builds a link from the query to use.
 */
export function templatePage(
  stored: readonly StoredTemplate[],
  query: TemplateListQuery,
  pageUrl: (query: Record<string, string>) => string,
): TemplatePage {
  const limit = query.limit === undefined ? defaultTemplatePageSize : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxPageSize)
    return { ok: false, problem: `Param limit must be an integer between 1 and ${maxPageSize}` };
  const after = query.after === undefined ? undefined : positionOf(query.after);
  const before = query.before === undefined ? undefined : positionOf(query.before);
  if (
    (query.after !== undefined && after === undefined) ||
    (query.before !== undefined && before === undefined)
  )
    return { ok: false, problem: 'Invalid cursor' };
  const statuses = listOf(query.status?.toUpperCase());
  const categories = listOf(query.category?.toUpperCase());
  const languages = listOf(query.language);
  // Graph's name filter matches part of the name.
  const matching = stored.filter(
    ({ record }) =>
      (!query.name || record.name.includes(query.name)) &&
      (!statuses?.length || statuses.includes(record.status)) &&
      (!categories?.length || categories.includes(record.category)) &&
      (!languages?.length || languages.includes(record.language)),
  );
  let page: StoredTemplate[];
  if (after !== undefined) page = matching.filter((t) => t.seq > after).slice(0, limit);
  else if (before !== undefined) page = matching.filter((t) => t.seq < before).slice(-limit);
  else page = matching.slice(0, limit);
  const first = page[0];
  const last = page.at(-1);
  if (!first || !last) return { ok: true, body: { data: [] } };
  const fields = listOf(query.fields) ?? [...defaultTemplateFields];
  const kept: Record<string, string> = {};
  for (const key of ['limit', 'name', 'status', 'category', 'language', 'fields'] as const) {
    const value = query[key];
    if (value !== undefined) kept[key] = value;
  }
  const hasNext = matching.some((t) => t.seq > last.seq);
  const hasPrevious = matching.some((t) => t.seq < first.seq);
  return {
    ok: true,
    body: {
      data: page.map((t) => templateView(t.record, fields)),
      paging: {
        cursors: { before: cursorOf(first), after: cursorOf(last) },
        ...(hasNext ? { next: pageUrl({ ...kept, limit: String(limit), after: cursorOf(last) }) } : {}),
        ...(hasPrevious
          ? { previous: pageUrl({ ...kept, limit: String(limit), before: cursorOf(first) }) }
          : {}),
      },
    },
  };
}
