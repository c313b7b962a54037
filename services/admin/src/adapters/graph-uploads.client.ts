import type { HeaderSampleUploads } from '../domain/header-media.js';
import type { GraphResult } from '../domain/ports.js';
import { failureOf } from './graph-templates.client.js';

export interface GraphUploadsSettings {
  baseUrl: string;
  version: string;
  timeoutMs: number;
  /** `META_APP_ID`: the app whose `/{app-id}/uploads` edge takes the files; unset, every upload is refused. */
  appId: string | undefined;
}

async function post<T>(
  url: string,
  init: RequestInit,
  timeoutMs: number,
  read: (body: Record<string, unknown>) => T | undefined,
): Promise<GraphResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, method: 'POST', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return {
      ok: false,
      failure: { httpStatus: 0, message: error instanceof Error ? error.message : String(error) },
    };
  }
  if (!response.ok) return { ok: false, failure: await failureOf(response) };
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  const value = read(body);
  if (value === undefined)
    return { ok: false, failure: { httpStatus: 502, message: 'unreadable Graph API answer to an upload' } };
  return { ok: true, value };
}

/**
 * Meta's Resumable Upload API, how a template header sample reaches Meta: `POST /{app-id}/uploads?file_name=
 * &file_length=&file_type=` (Bearer) → `{id: "upload:<session>"}`, then `POST /upload:<session>` with
 * `Authorization: OAuth <token>`, `file_offset: 0` and the bytes → `{h}`, the handle. The token stays in headers.
 */
export function createGraphUploadsClient(settings: GraphUploadsSettings): HeaderSampleUploads {
  const root = `${settings.baseUrl.replace(/\/$/, '')}/${settings.version}`;
  return {
    async upload(token, file) {
      if (!settings.appId)
        return { ok: false, failure: { httpStatus: 0, message: 'META_APP_ID is not configured' } };
      const query = new URLSearchParams({
        file_name: file.filename,
        file_length: String(file.bytes.length),
        file_type: file.mimeType,
      });
      const session = await post(
        `${root}/${encodeURIComponent(settings.appId)}/uploads?${query}`,
        { headers: { authorization: `Bearer ${token}` } },
        settings.timeoutMs,
        (body) => (typeof body.id === 'string' && /^upload:[^/?#]+$/.test(body.id) ? body.id : undefined),
      );
      if (!session.ok) return session;
      return post(
        `${root}/${session.value}`,
        {
          headers: {
            authorization: `OAuth ${token}`,
            file_offset: '0',
            'content-type': 'application/octet-stream',
          },
          body: file.bytes,
        },
        settings.timeoutMs,
        (body) => (typeof body.h === 'string' && body.h !== '' ? body.h : undefined),
      );
    },
  };
}
