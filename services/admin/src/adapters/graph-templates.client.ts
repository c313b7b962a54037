import type { GraphResult, GraphTemplates } from '../domain/ports.js';
import type { GraphFailure, GraphTemplate } from '../domain/template.js';

export interface GraphTemplatesSettings {
  baseUrl: string;
  version: string;
  timeoutMs: number;
}

interface GraphErrorBody {
  error?: { code?: number; error_subcode?: number; message?: string; error_user_msg?: string };
}

/** The fields a sync asks for: everything the stored record holds. */
export const templateListFields =
  'id,name,language,status,category,components,parameter_format,quality_score,rejected_reason';
export const templatePageSize = 100;
/** A listing longer than this many pages is a loop, not a WABA (Meta allows a few thousand templates). */
const maxPages = 500;

/** A Graph error answer as a failure: status, code, subcode and Meta's message. */
export async function failureOf(response: Response): Promise<GraphFailure> {
  const text = await response.text().catch(() => '');
  let body: GraphErrorBody = {};
  try {
    body = JSON.parse(text) as GraphErrorBody;
  } catch {
    // not JSON: Meta's message is the status line
  }
  const error = body.error ?? {};
  const parts = [error.message, error.error_user_msg].filter((part): part is string => Boolean(part));
  return {
    httpStatus: response.status,
    code: error.code,
    subcode: error.error_subcode,
    message: parts.length > 0 ? parts.join(': ') : `HTTP ${response.status}`,
  };
}

/**
 * Meta's template endpoints of a WABA (whatsapp-cloud-api.md §5.5, §7.1): list (every page, following
 * `paging.next`), create, delete. The token goes only in the Authorization header, never in a log or an error.
 */
export function createGraphTemplatesClient(settings: GraphTemplatesSettings): GraphTemplates {
  const base = new URL(settings.baseUrl);
  const root = `${settings.baseUrl.replace(/\/$/, '')}/${settings.version}`;
  const endpoint = (wabaId: string) => `${root}/${encodeURIComponent(wabaId)}/message_templates`;

  async function call<T>(
    url: string,
    init: RequestInit & { token: string },
    read: (response: Response) => Promise<T>,
  ): Promise<GraphResult<T>> {
    const { token, ...rest } = init;
    let response: Response;
    try {
      response = await fetch(url, {
        ...rest,
        headers: { ...(rest.headers as Record<string, string>), authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
    } catch (error) {
      return {
        ok: false,
        failure: { httpStatus: 0, message: error instanceof Error ? error.message : String(error) },
      };
    }
    if (!response.ok) return { ok: false, failure: await failureOf(response) };
    try {
      return { ok: true, value: await read(response) };
    } catch (error) {
      return {
        ok: false,
        failure: {
          httpStatus: 502,
          message: `unreadable Graph API answer: ${error instanceof Error ? error.message : String(error)}`,
        },
      };
    }
  }

  /** Meta's `paging.next` on our own base URL (the token stays off any other host). */
  const onBase = (next: string) => {
    const url = new URL(next);
    return new URL(`${url.pathname}${url.search}`, base).toString();
  };

  return {
    async list(wabaId, token) {
      const templates: GraphTemplate[] = [];
      const seen = new Set<string>();
      let url: string | undefined =
        `${endpoint(wabaId)}?limit=${templatePageSize}&fields=${encodeURIComponent(templateListFields)}`;
      while (url) {
        if (seen.has(url) || seen.size >= maxPages)
          return { ok: false, failure: { httpStatus: 502, message: 'the listing pages loop' } };
        seen.add(url);
        const page: GraphResult<{ data?: unknown; paging?: { next?: unknown } }> = await call(
          url,
          { method: 'GET', token },
          (response) => response.json() as Promise<{ data?: unknown; paging?: { next?: unknown } }>,
        );
        if (!page.ok) return page;
        if (!Array.isArray(page.value.data))
          return { ok: false, failure: { httpStatus: 502, message: 'a listing page without data' } };
        templates.push(...(page.value.data as GraphTemplate[]));
        const next: unknown = page.value.paging?.next;
        url = typeof next === 'string' && next !== '' ? onBase(next) : undefined;
      }
      return { ok: true, value: templates };
    },

    async create(wabaId, token, input) {
      return call(
        endpoint(wabaId),
        {
          method: 'POST',
          token,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            name: input.name,
            language: input.language,
            category: input.category,
            ...(input.parameterFormat ? { parameter_format: input.parameterFormat } : {}),
            components: input.components,
          }),
        },
        async (response) => {
          const body = (await response.json()) as { id?: unknown; status?: unknown; category?: unknown };
          const id = typeof body.id === 'number' || typeof body.id === 'string' ? String(body.id) : '';
          if (!/^\d{1,32}$/.test(id)) throw new Error('no template id');
          return {
            id,
            status: typeof body.status === 'string' ? body.status : undefined,
            category: typeof body.category === 'string' ? body.category : undefined,
          };
        },
      );
    },

    async remove(wabaId, token, name, hsmId) {
      const query = new URLSearchParams({ name, ...(hsmId ? { hsm_id: hsmId } : {}) });
      return call(`${endpoint(wabaId)}?${query}`, { method: 'DELETE', token }, async (response) => {
        await response.body?.cancel();
      });
    },
  };
}
