import { z } from 'zod';
import type { BackendApi, Lookup, LookupFailure } from '../domain/ports.js';

const orderBody = z.object({ order_id: z.string(), status: z.string().min(1), updated_at: z.iso.datetime() });
const quoteBody = z.object({
  symbol: z.string(),
  price: z.number().finite().nonnegative(),
  currency: z.string().min(1),
});

export interface BackendApiSettings {
  baseUrl: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** The external API over HTTP: every timeout, network error, 5xx or unreadable body becomes a typed failure. */
export function httpBackendApi(settings: BackendApiSettings): BackendApi {
  const doFetch = settings.fetch ?? fetch;
  async function get<T>(path: string, schema: z.ZodType<T>): Promise<Lookup<T>> {
    let response: Response;
    try {
      response = await doFetch(new URL(path, settings.baseUrl), {
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
    } catch (error) {
      return failed(isTimeout(error) ? 'timeout' : 'unavailable');
    }
    if (response.status === 404) return failed('not_found');
    if (!response.ok) return failed('unavailable');
    try {
      const parsed = schema.safeParse(await response.json());
      return parsed.success ? { ok: true, value: parsed.data } : failed('bad_data');
    } catch (error) {
      // The body can also time out half-way; anything else is a body that is not JSON.
      return failed(isTimeout(error) ? 'timeout' : 'bad_data');
    }
  }
  return {
    async orderStatus(order) {
      const result = await get(`orders/${encodeURIComponent(order)}`, orderBody);
      if (!result.ok) return result;
      const { order_id, status, updated_at } = result.value;
      return { ok: true, value: { order: order_id, status, updatedAt: new Date(updated_at) } };
    },
    quote: (symbol) => get(`quotes/${encodeURIComponent(symbol)}`, quoteBody),
  };
}

const failed = (failure: LookupFailure) => ({ ok: false, failure }) as const;

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}
