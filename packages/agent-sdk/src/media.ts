import { createHash } from 'node:crypto';
import { mediaLinkMaxTtlSeconds, signMediaLink, type UploadedMedia } from '@wa-broker/shared/media-access';
import {
  checkOutboundMedia,
  type MediaCheckProblem,
  mediaTypeForMime,
} from '@wa-broker/shared/meta-media-rules';
import type { MetaMediaType } from '@wa-broker/shared/meta-media-types';

export interface MediaClientOptions {
  /** The media service's base URL, e.g. `http://127.0.0.1:8300`. */
  url: string;
  /** This agent's media credential (`pnpm --filter @wa-broker/media token <agent slug>`). */
  token: string;
}

export interface DownloadedMedia {
  bytes: Buffer;
  mimeType: string;
  /** Hex sha256 of `bytes`, checked against the one the media service stored. */
  sha256: string;
  filename?: string;
}

/** The media service refused: field-level `problems` for a file Meta would refuse, else its words. */
export class MediaRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly problems: readonly { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'MediaRequestError';
  }
}

/**
 * The agent's files through the broker (issue 18): download a user's photo or voice note by the `path` of its
 * event, sign a short-lived link for a browser, upload a file to send (`reply.media(type, { id })`).
 */
export function createMediaClient(options: MediaClientOptions) {
  const base = options.url.replace(/\/$/, '');
  const authorization = { authorization: `Bearer ${options.token}` };
  return {
    /**
     * The bytes of a stored file. A file still on its way into storage is waited for up to `waitMs`
     * (default 15 s); a file the broker could not get from Meta rejects with status 410 (the agent also got
     * `media_unavailable` on `-error`).
     */
    async download(path: string, settings: { waitMs?: number } = {}): Promise<DownloadedMedia> {
      const response = await fetch(`${base}${path}?wait=${settings.waitMs ?? 15_000}`, {
        headers: authorization,
      });
      if (!response.ok) throw await requestError(response);
      const bytes = Buffer.from(await response.arrayBuffer());
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const stored = response.headers.get('x-media-sha256');
      if (stored && stored !== sha256)
        throw new MediaRequestError('downloaded bytes do not match the stored sha256', 502, 'corrupt');
      const filename = /filename\*=UTF-8''([^;]+)/.exec(
        response.headers.get('content-disposition') ?? '',
      )?.[1];
      return {
        bytes,
        mimeType: response.headers.get('content-type') ?? 'application/octet-stream',
        sha256,
        ...(filename ? { filename: decodeURIComponent(filename) } : {}),
      };
    },

    /** An absolute URL a browser can open without credentials until it expires (at most an hour). */
    link(path: string, ttlSeconds = 600): string {
      const ttl = Math.min(ttlSeconds, mediaLinkMaxTtlSeconds);
      const query = new URLSearchParams({
        ...signMediaLink(options.token, path, new Date(Date.now() + ttl * 1000)),
      });
      return `${base}${path}?${query}`;
    },

    /**
     * Uploads a file to send. Meta's MIME types and sizes are checked here first (no request for a file Meta
     * would refuse); the media service checks again, uploads it to the Graph API and keeps a copy.
     */
    async upload(file: {
      bytes: Buffer;
      mimeType: string;
      filename?: string;
      type?: MetaMediaType;
      animated?: boolean;
      phoneNumberId?: string;
    }): Promise<UploadedMedia> {
      const type = file.type ?? mediaTypeForMime(file.mimeType);
      const problems: MediaCheckProblem[] = type
        ? checkOutboundMedia({
            type,
            mimeType: file.mimeType,
            size: file.bytes.length,
            ...(file.animated !== undefined ? { animated: file.animated } : {}),
          })
        : [{ field: 'mime_type', message: `no WhatsApp media type accepts ${file.mimeType}` }];
      if (problems.length > 0)
        throw new MediaRequestError(
          problems.map((p) => p.message).join('; '),
          400,
          'invalid_media',
          problems,
        );
      const query = new URLSearchParams({
        ...(type ? { type } : {}),
        ...(file.filename ? { filename: file.filename } : {}),
        ...(file.animated !== undefined ? { animated: String(file.animated) } : {}),
        ...(file.phoneNumberId ? { phone_number_id: file.phoneNumberId } : {}),
      });
      const response = await fetch(`${base}/v1/media?${query}`, {
        method: 'POST',
        headers: { ...authorization, 'content-type': file.mimeType },
        body: new Uint8Array(file.bytes),
      });
      if (!response.ok) throw await requestError(response);
      return (await response.json()) as UploadedMedia;
    },
  };
}
export type MediaClient = ReturnType<typeof createMediaClient>;

async function requestError(response: Response): Promise<MediaRequestError> {
  const body = (await response.json().catch(() => ({}))) as {
    error?: string;
    message?: string;
    problems?: { field: string; message: string }[];
  };
  return new MediaRequestError(
    body.message ?? `media service answered HTTP ${response.status}`,
    response.status,
    body.error ?? 'http_error',
    body.problems ?? [],
  );
}
