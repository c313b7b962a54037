import { baseMimeType, metaMediaRules } from '@wa-broker/shared/meta-media-rules';
import { type MetaMediaType, metaMediaTypes } from '@wa-broker/shared/meta-media-types';
import type { SimNumber } from './domain/business-numbers.js';
import { checkMediaFile } from './domain/media-checks.js';
import { isAnimatedWebp, isOpusOgg, mimeOfBytes } from './domain/media-sniff.js';
import { type MetaError, metaErrors } from './domain/meta-errors.js';
import type { MediaStore, PhoneMedia, StoredMedia } from './media-store.js';

export type Delivered = { ok: true; media: PhoneMedia } | { ok: false; error: MetaError };

type Json = Record<string, unknown>;
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

export const isMediaType = (type: string): type is MetaMediaType =>
  (metaMediaTypes as readonly string[]).includes(type);

/** The largest file any type takes: a link's body beyond it is not read. */
const largestMedia = Math.max(...Object.values(metaMediaRules).map((rule) => rule.maxBytes));

/**
 * A business's media message (`image|audio|video|document|sticker` with `id` or `link`) on its way to the
 * user's phone. An `id` must be one this number uploaded and that has not expired (30 days), else the send is
 * refused at once with #100 `Param <type>['id'] is not a valid whatsapp business account media attachment ID`,
 * as Graph answers it; a `link` must be an http(s) URL. The file itself is checked after the send is
 * accepted, as Meta downloads it then: a link that cannot be fetched, or a file that is not what `type` takes,
 * gives a `failed` status with 131053.
 */
export class OutboundMedia {
  constructor(
    private readonly store: MediaStore,
    private readonly fetchLink: (url: string) => Promise<Response> = (url) =>
      fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'follow' }),
  ) {}

  /** What refuses the send synchronously, if anything. */
  check(number: SimNumber, type: MetaMediaType, payload: Json): MetaError | undefined {
    const id = text(payload.id);
    if (id !== undefined)
      return this.store.uploadedBy(id, number.phoneNumberId) ? undefined : metaErrors.invalidMediaId(type);
    const link = text(payload.link);
    return link !== undefined && isHttpUrl(link) ? undefined : metaErrors.invalidMediaLink(type);
  }

  /** The file as the user's phone receives it, or the 131053 its `failed` status carries. */
  async deliver(number: SimNumber, type: MetaMediaType, payload: Json): Promise<Delivered> {
    const id = text(payload.id);
    const source =
      id === undefined ? await this.download(type, String(payload.link)) : this.uploaded(id, number);
    if (!source.ok) return source;
    const { bytes, mimeType, filename } = source;
    if (id !== undefined && !metaMediaRules[type].mimeTypes.includes(baseMimeType(mimeType)))
      return fail(`Media type not supported: ${mimeType} cannot be sent as ${type}.`);
    // A document shows the name the message gives it, else the file's own.
    const shownName = type === 'document' ? (text(payload.filename) ?? filename ?? 'Untitled') : filename;
    const copy = this.store.add({
      bytes,
      mimeType,
      phoneNumberId: number.phoneNumberId,
      origin: 'received',
      ...(shownName ? { filename: shownName } : {}),
    });
    const caption = ['image', 'video', 'document'].includes(type) ? text(payload.caption) : undefined;
    return {
      ok: true,
      media: this.store.phoneView(copy, {
        ...(caption ? { caption } : {}),
        // WhatsApp plays OGG/Opus audio as a voice note.
        ...(type === 'audio' ? { voice: isOpusOgg(bytes) } : {}),
        ...(type === 'sticker' ? { animated: isAnimatedWebp(bytes) } : {}),
      }),
    };
  }

  private uploaded(id: string, number: SimNumber): Source {
    const media: StoredMedia | undefined = this.store.uploadedBy(id, number.phoneNumberId);
    if (!media) return fail('The media id expired before the message was sent.');
    return {
      ok: true,
      bytes: media.bytes,
      mimeType: media.mimeType,
      ...(media.filename ? { filename: media.filename } : {}),
    };
  }

  private async download(type: MetaMediaType, link: string): Promise<Source> {
    let response: Response;
    try {
      response = await this.fetchLink(link);
    } catch (error) {
      return fail(`Downloading media from weblink failed: ${(error as Error).message}`);
    }
    if (!response.ok) return fail(`Downloading media from weblink failed with http code ${response.status}`);
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > largestMedia) return fail(`Media file size too big: ${declared} bytes.`);
    const bytes = Buffer.from(await response.arrayBuffer());
    const header = baseMimeType(response.headers.get('content-type') ?? '');
    const mimeType =
      header && header !== 'application/octet-stream' ? header : (mimeOfBytes(bytes) ?? header);
    const checked = checkMediaFile({ mimeType, bytes, type });
    if (!checked.ok) return fail(checked.details);
    const filename = lastSegment(link);
    return { ok: true, bytes, mimeType, ...(filename ? { filename } : {}) };
  }
}

type Source =
  | { ok: true; bytes: Buffer; mimeType: string; filename?: string }
  | { ok: false; error: MetaError };

const fail = (details: string): { ok: false; error: MetaError } => ({
  ok: false,
  error: metaErrors.mediaUploadError(details),
});

function lastSegment(link: string): string | undefined {
  const segment = new URL(link).pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(segment) || undefined;
  } catch {
    return segment || undefined;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
