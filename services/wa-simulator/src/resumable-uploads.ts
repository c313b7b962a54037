import { createHash, randomBytes } from 'node:crypto';
import { baseMimeType, metaMediaRules } from '@wa-broker/shared/meta-media-rules';
import type { MetaMediaType } from '@wa-broker/shared/meta-media-types';
import { checkMediaFile } from './domain/media-checks.js';
import { type MetaError, metaErrors } from './domain/meta-errors.js';

/** The types a template header sample can be (`format` IMAGE, VIDEO, DOCUMENT), as media types. */
export const headerMediaTypes = {
  IMAGE: 'image',
  VIDEO: 'video',
  DOCUMENT: 'document',
} as const satisfies Record<string, MetaMediaType>;

/** What a session declared when it was opened (`POST /{app-id}/uploads`). */
interface UploadSession {
  fileName: string;
  fileLength: number;
  fileType: string;
}

/** A finished upload: what its handle stands for (a template's header sample). */
export interface HeaderSample {
  handle: string;
  fileName: string;
  mimeType: string;
  bytes: Buffer;
  /** Hex of the SHA-256 of the bytes. */
  sha256: string;
}

export type UploadOutcome<T> = { ok: true; value: T } | { ok: false; error: MetaError };

/** The MIME types a header sample may declare: those of image, video and document in Meta's media table. */
const headerMimeTypes = new Set(
  Object.values(headerMediaTypes).flatMap((type) => metaMediaRules[type].mimeTypes),
);
const largestSample = Math.max(
  ...Object.values(headerMediaTypes).map((type) => metaMediaRules[type].maxBytes),
);

/**
 * Meta's Resumable Upload API as the simulator plays it (whatsapp-cloud-api.md: template header samples): a
 * session opened with the file's name, length and MIME type, then the bytes in one `file_offset: 0` upload,
 * checked against what the session declared and against Meta's media table; the answer is an opaque handle
 * (`4::<base64 MIME>:<random>`) that a template's `example.header_handle` must name. In memory, like the rest.
 */
export class ResumableUploads {
  private readonly sessions = new Map<string, UploadSession>();
  private readonly samples = new Map<string, HeaderSample>();

  /** Opens a session; its id is `upload:<session>`, the path of the second call. */
  open(query: Record<string, string | undefined>): UploadOutcome<string> {
    const fileName = query.file_name ?? '';
    const fileType = baseMimeType(query.file_type ?? '');
    const fileLength = Number(query.file_length);
    if (!fileName) return invalid('The parameter file_name is required.');
    if (!Number.isSafeInteger(fileLength) || fileLength <= 0)
      return invalid('The parameter file_length must be a positive integer (the file size in bytes).');
    if (fileLength > largestSample)
      return invalid(`Param file_length must be at most ${largestSample} bytes.`);
    if (!headerMimeTypes.has(fileType))
      return invalid(`Param file_type must be one of ${[...headerMimeTypes].join(', ')}.`);
    const session = randomBytes(18).toString('base64url');
    this.sessions.set(session, { fileName, fileLength, fileType });
    return { ok: true, value: `upload:${session}` };
  }

  /** The bytes of a session, at `file_offset` 0; the session ends either way (a new upload opens a new one). */
  finish(sessionId: string, offset: string | undefined, bytes: Buffer): UploadOutcome<string> {
    const session = this.sessions.get(sessionId);
    if (!session) return invalid(`No upload session ${sessionId}: open one with POST /{app-id}/uploads.`);
    if (offset !== '0') return invalid('The header file_offset must be 0 (resuming is not simulated).');
    if (bytes.length !== session.fileLength)
      return invalid(
        `The upload has ${bytes.length} bytes; the session declared file_length ${session.fileLength}.`,
      );
    const checked = checkMediaFile({ mimeType: session.fileType, bytes });
    if (!checked.ok) return invalid(`The file does not match the session's file_type: ${checked.details}`);
    this.sessions.delete(sessionId);
    const handle = `4::${Buffer.from(session.fileType).toString('base64')}:${randomBytes(24).toString('base64url')}`;
    this.samples.set(handle, {
      handle,
      fileName: session.fileName,
      mimeType: session.fileType,
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    return { ok: true, value: handle };
  }

  find(handle: string): HeaderSample | undefined {
    return this.samples.get(handle);
  }

  /**
   * Why a media header's `header_handle` would be refused: not a handle this simulator issued, or a file the
   * header's format does not take (an image sample for a VIDEO header). Undefined when it is fine.
   */
  problemWith(format: keyof typeof headerMediaTypes, handle: unknown): string | undefined {
    const sample = typeof handle === 'string' ? this.samples.get(handle) : undefined;
    if (!sample) return 'is not a handle of the Resumable Upload API (upload the sample file first)';
    const type = headerMediaTypes[format];
    if (!metaMediaRules[type].mimeTypes.includes(sample.mimeType))
      return `is a ${sample.mimeType} file; a ${format} header takes ${metaMediaRules[type].mimeTypes.join(', ')}`;
    return undefined;
  }

  reset(): void {
    this.sessions.clear();
    this.samples.clear();
  }
}

const invalid = (details: string): UploadOutcome<never> => ({
  ok: false,
  error: metaErrors.invalidParameter(details),
});
