/**
 * The one HTTP client of the UI: same-origin JSON (the session cookie goes along by itself), plus the
 * development token as `Authorization: Bearer` when the inbox was opened with one. Never rejects.
 */
export type HttpResult<T> =
  | { ok: true; status: number; data: T }
  | {
      ok: false;
      /** 0: no answer (network). */
      status: number;
      error?: string;
      message?: string;
      issues?: { path: string; message: string }[];
      /** Seconds, from `Retry-After` (429). */
      retryAfter?: number;
    };

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  token?: string | null;
}

export async function http<T>(
  path: string,
  request: HttpRequest = {},
  fetcher: typeof fetch = (...args) => fetch(...args),
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = {};
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  let response: Response;
  try {
    response = await fetcher(path, {
      method: request.method ?? 'GET',
      headers,
      credentials: 'same-origin',
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    });
  } catch {
    return { ok: false, status: 0, message: 'The server cannot be reached.' };
  }
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (response.ok) return { ok: true, status: response.status, data: json as T };
  const fields = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const retryAfter = Number(response.headers.get('retry-after'));
  return {
    ok: false,
    status: response.status,
    ...(typeof fields.error === 'string' ? { error: fields.error } : {}),
    ...(typeof fields.message === 'string' ? { message: fields.message } : {}),
    ...(Array.isArray(fields.issues) ? { issues: fields.issues as { path: string; message: string }[] } : {}),
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfter } : {}),
  };
}
