import type { MetaErrorDetail } from '@wa-broker/shared/agent-inbound';
import type { GraphFailure, GraphMedia, GraphResult } from '../domain/ports.js';

export interface GraphMediaSettings {
  baseUrl: string;
  version: string;
  timeoutMs: number;
}

interface GraphErrorBody {
  error?: { code?: number; message?: string; error_data?: { details?: string } };
}

/**
 * Meta's media endpoints (whatsapp-cloud-api.md §8): `GET /{media-id}?phone_number_id=` for a 5-minute URL,
 * the URL itself (token required), and `POST /{phone-number-id}/media` for uploads. The token goes only in
 * the Authorization header, never in a log line or an error.
 */
export function createGraphMediaClient(settings: GraphMediaSettings): GraphMedia {
  const base = `${settings.baseUrl.replace(/\/$/, '')}/${settings.version}`;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  return {
    async lookup(mediaId, phoneNumberId, token) {
      const url = `${base}/${encodeURIComponent(mediaId)}?phone_number_id=${encodeURIComponent(phoneNumberId)}`;
      return call(
        settings,
        () => fetch(url, { headers: auth(token), signal: AbortSignal.timeout(settings.timeoutMs) }),
        async (response) => {
          const json = (await response.json()) as {
            url?: string;
            mime_type?: string;
            sha256?: string;
            file_size?: string | number;
          };
          if (!json.url)
            return { ok: false, kind: 'retry', reason: 'Graph API answered without a media URL' };
          const size = Number(json.file_size);
          return {
            ok: true,
            value: {
              url: json.url,
              mimeType: json.mime_type ?? '',
              ...(json.sha256 ? { sha256: json.sha256 } : {}),
              ...(Number.isFinite(size) && json.file_size !== undefined ? { size } : {}),
            },
          };
        },
      );
    },
    async download(url, token, maxBytes) {
      return call(
        settings,
        () => fetch(url, { headers: auth(token), signal: AbortSignal.timeout(settings.timeoutMs) }),
        async (response) => {
          const declared = Number(response.headers.get('content-length'));
          if (Number.isFinite(declared) && declared > maxBytes) {
            await response.body?.cancel();
            return {
              ok: false,
              kind: 'permanent',
              reason: `file of ${declared} bytes exceeds the ${maxBytes}-byte limit`,
            };
          }
          const bytes = Buffer.from(await response.arrayBuffer());
          if (bytes.length > maxBytes) {
            return { ok: false, kind: 'permanent', reason: `file exceeds the ${maxBytes}-byte limit` };
          }
          return { ok: true, value: bytes };
        },
        // An expired or refused URL: a new lookup gives a fresh one (§8 item 5).
        { notFound: 'retry' },
      );
    },
    async upload(phoneNumberId, token, file) {
      const form = new FormData();
      form.set('messaging_product', 'whatsapp');
      form.set('type', file.mimeType);
      form.set('file', new Blob([file.bytes], { type: file.mimeType }), file.filename);
      return call(
        settings,
        () =>
          fetch(`${base}/${encodeURIComponent(phoneNumberId)}/media`, {
            method: 'POST',
            headers: auth(token),
            body: form,
            signal: AbortSignal.timeout(settings.timeoutMs),
          }),
        async (response) => {
          const json = (await response.json()) as { id?: string };
          return json.id
            ? { ok: true, value: { id: json.id } }
            : { ok: false, kind: 'retry', reason: 'Graph API answered without a media id' };
        },
      );
    },
  };
}

async function call<T>(
  settings: GraphMediaSettings,
  request: () => Promise<Response>,
  read: (response: Response) => Promise<GraphResult<T>>,
  options: { notFound?: 'retry' | 'permanent' } = {},
): Promise<GraphResult<T>> {
  let response: Response;
  try {
    response = await request();
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const reason =
      name === 'TimeoutError'
        ? `Graph API timed out after ${settings.timeoutMs} ms`
        : `Graph API unreachable (${name})`;
    return { ok: false, kind: 'retry', reason };
  }
  if (response.ok) {
    try {
      return await read(response);
    } catch (error) {
      return {
        ok: false,
        kind: 'retry',
        reason: `Graph API answer unreadable (${error instanceof Error ? error.name : 'Error'})`,
      };
    }
  }
  return { ok: false, ...(await failureOf(response, options.notFound ?? 'permanent')) };
}

/** 429, 5xx and Meta's transient codes are retried; 4xx (unknown id, another number's, 131052) are not. */
async function failureOf(response: Response, notFound: 'retry' | 'permanent'): Promise<GraphFailure> {
  const json = (await response.json().catch(() => undefined)) as GraphErrorBody | undefined;
  const error = json?.error;
  const metaError: MetaErrorDetail | undefined =
    typeof error?.code === 'number'
      ? {
          code: error.code,
          title: error.message ?? `error ${error.code}`,
          ...(error.error_data?.details ? { details: error.error_data.details } : {}),
        }
      : undefined;
  const status = response.status;
  const transient =
    status === 429 ||
    status >= 500 ||
    (status === 404 && notFound === 'retry') ||
    transientCodes.has(metaError?.code ?? 0);
  const reason = metaError
    ? `Graph API error ${metaError.code}: ${metaError.details ?? metaError.title}`
    : `Graph API answered HTTP ${status}`;
  return { kind: transient ? 'retry' : 'permanent', reason, ...(metaError ? { metaError } : {}) };
}

/** whatsapp-cloud-api.md §7.3: throttling, unknown error, service unavailable. */
const transientCodes = new Set([4, 80007, 130429, 131000, 131016]);
