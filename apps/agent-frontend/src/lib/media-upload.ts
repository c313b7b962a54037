import type { UploadedMedia } from '@wa-broker/shared/media-access';
import type { MetaMediaType } from '@wa-broker/shared/meta-media-types';

export type { UploadedMedia };

export interface UploadProblem {
  field: string;
  message: string;
}

/**
 * Why an upload did not give a media id: the server answered an error (`http`, with its status and JSON body:
 * 400 `invalid_media` with `problems`, 422 `meta_refused`, 502/503), the request never got an answer
 * (`network`), or the operator cancelled it. Words for the operator: describeUploadFailure.
 */
export type UploadFailure =
  | {
      ok: false;
      kind: 'http';
      status: number;
      error?: string;
      message?: string;
      problems?: UploadProblem[];
    }
  | { ok: false; kind: 'network' }
  | { ok: false; kind: 'cancelled' };

export type UploadResult = { ok: true; media: UploadedMedia } | UploadFailure;

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface MediaUploadRequest {
  file: Blob;
  type: MetaMediaType;
  filename?: string;
  /** The conversation's business number, when known: the file is uploaded to that number's Graph account. */
  phoneNumberId?: string;
  /** Stickers only: an animated WebP may be 500 KB, a still one 100 KB. */
  animated?: boolean;
  /** The development token, when the inbox was opened with one; else the session cookie goes by itself. */
  token?: string | null;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

/** `/api/media?type=…&filename=…&phone_number_id=…` (same origin: Vite and nginx proxy `/api`). */
export function uploadUrl(
  request: Pick<MediaUploadRequest, 'type' | 'filename' | 'phoneNumberId' | 'animated'>,
) {
  const query = new URLSearchParams({ type: request.type });
  if (request.filename) query.set('filename', request.filename);
  if (request.phoneNumberId) query.set('phone_number_id', request.phoneNumberId);
  if (request.animated) query.set('animated', 'true');
  return `/api/media?${query}`;
}

/**
 * Uploads a file's raw bytes with XMLHttpRequest (fetch reports no upload progress). Never rejects: the result
 * says what happened; aborting `signal` cancels the request.
 */
export function uploadMedia(
  request: MediaUploadRequest,
  createRequest: () => XMLHttpRequest = () => new XMLHttpRequest(),
): Promise<UploadResult> {
  return new Promise((resolve) => {
    if (request.signal?.aborted) {
      resolve({ ok: false, kind: 'cancelled' });
      return;
    }
    const xhr = createRequest();
    const total = request.file.size;
    const cancel = () => xhr.abort();
    const settle = (result: UploadResult) => {
      request.signal?.removeEventListener('abort', cancel);
      resolve(result);
    };
    xhr.open('POST', uploadUrl(request));
    xhr.setRequestHeader('Content-Type', request.file.type || 'application/octet-stream');
    if (request.token) xhr.setRequestHeader('Authorization', `Bearer ${request.token}`);
    xhr.upload.onprogress = (event) =>
      request.onProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : total });
    xhr.onload = () => settle(resultOf(xhr.status, xhr.responseText));
    xhr.onerror = () => settle({ ok: false, kind: 'network' });
    xhr.ontimeout = () => settle({ ok: false, kind: 'network' });
    xhr.onabort = () => settle({ ok: false, kind: 'cancelled' });
    request.signal?.addEventListener('abort', cancel, { once: true });
    request.onProgress?.({ loaded: 0, total });
    xhr.send(request.file);
  });
}

function resultOf(status: number, text: string): UploadResult {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (status >= 200 && status < 300 && typeof fields.id === 'string')
    return { ok: true, media: fields as unknown as UploadedMedia };
  const problems = Array.isArray(fields.problems)
    ? fields.problems.filter(
        (p): p is UploadProblem =>
          typeof p === 'object' && p !== null && typeof p.field === 'string' && typeof p.message === 'string',
      )
    : undefined;
  return {
    ok: false,
    kind: 'http',
    status,
    ...(typeof fields.error === 'string' ? { error: fields.error } : {}),
    ...(typeof fields.message === 'string' ? { message: fields.message } : {}),
    ...(problems ? { problems } : {}),
  };
}

/** An upload as the composer asks for it: the inbox adds the token and the conversation's number. */
export type MediaUploader = (
  request: Omit<MediaUploadRequest, 'token' | 'phoneNumberId'>,
) => Promise<UploadResult>;
