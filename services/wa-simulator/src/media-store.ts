import { createHash } from 'node:crypto';
import { metaMediaLimits } from '@wa-broker/shared/meta-media-rules';
import type { NumberDirectory } from './domain/business-numbers.js';
import { mediaId } from './domain/ids.js';
import { MediaUrlSigner } from './domain/media-urls.js';
import { type MetaError, metaErrors } from './domain/meta-errors.js';

/**
 * Where a file came from: a user sent it to a business number (`inbound`, its id in the webhook), the business
 * uploaded it (`uploaded`, `POST /{phone-number-id}/media`), or it is the phone's copy of what the business sent
 * (`received`, served only by the simulator's own `GET /sim/media/:id`).
 */
export type MediaOrigin = 'inbound' | 'uploaded' | 'received';

export interface StoredMedia {
  id: string;
  mimeType: string;
  bytes: Buffer;
  digest: Buffer;
  /** The business number it belongs to: only that number's tokens may look it up or download it. */
  phoneNumberId: string;
  origin: MediaOrigin;
  createdAtMs: number;
  filename?: string;
}

/** A file as the simulated phone shows it (`ChatEntry.media`): the bytes at `url`, no Meta token needed. */
export interface PhoneMedia {
  id: string;
  mime_type: string;
  /** Hex of the SHA-256 of the bytes. */
  sha256: string;
  file_size: number;
  /** `/sim/media/{id}`, relative to the simulator. */
  url: string;
  filename?: string;
  caption?: string;
  voice?: boolean;
  animated?: boolean;
}

export type MediaLookup = { ok: true; media: StoredMedia } | { ok: false; error: MetaError };
export type MediaDownload = { ok: true; media: StoredMedia } | { ok: false; status: 401 | 404 };

const dayMs = 24 * 60 * 60 * 1000;

/**
 * The media Meta holds for the business numbers, with Meta's lifetimes on the simulator's clock: a webhook's
 * media id lives 7 days, an uploaded one 30 days, a media URL `urlTtlMs` (5 minutes at Meta).
 */
export class MediaStore {
  private readonly media = new Map<string, StoredMedia>();
  private readonly signer: MediaUrlSigner;

  constructor(
    private readonly numbers: NumberDirectory,
    private readonly settings: { urlTtlMs: number; now: () => Date; signer?: MediaUrlSigner },
  ) {
    this.signer = settings.signer ?? new MediaUrlSigner();
  }

  add(input: {
    bytes: Buffer;
    mimeType: string;
    phoneNumberId: string;
    origin: MediaOrigin;
    filename?: string;
  }): StoredMedia {
    const stored: StoredMedia = {
      ...input,
      id: mediaId(),
      digest: createHash('sha256').update(input.bytes).digest(),
      createdAtMs: this.nowMs(),
    };
    this.media.set(stored.id, stored);
    return stored;
  }

  /** Media a Graph client may still reach by id: an inbound one within 7 days, an uploaded one within 30. */
  graphMedia(id: string): StoredMedia | undefined {
    const media = this.media.get(id);
    if (!media || media.origin === 'received') return undefined;
    const days =
      media.origin === 'inbound' ? metaMediaLimits.inboundIdTtlDays : metaMediaLimits.uploadedIdTtlDays;
    return this.nowMs() < media.createdAtMs + days * dayMs ? media : undefined;
  }

  /** An id `phoneNumberId` uploaded and may send (30 days). */
  uploadedBy(id: string, phoneNumberId: string): StoredMedia | undefined {
    const media = this.graphMedia(id);
    return media?.origin === 'uploaded' && media.phoneNumberId === phoneNumberId ? media : undefined;
  }

  /** What the phone holds: the files its users sent and the copies of what businesses sent them. */
  phoneCopy(id: string): StoredMedia | undefined {
    const media = this.media.get(id);
    return media && media.origin !== 'uploaded' ? media : undefined;
  }

  /**
   * `GET /{media-id}[?phone_number_id=]`: a token no number accepts → 190; an id that is unknown, expired, the
   * phone's own or of another number than `phone_number_id` → Graph's unknown object (100/33); a token of
   * another number than the media's → 190.
   */
  lookup(id: string, authorization: string | undefined, phoneNumberId?: string): MediaLookup {
    if (!this.numbers.knowsToken(authorization)) return { ok: false, error: metaErrors.invalidToken() };
    const media = this.graphMedia(id);
    if (!media || (phoneNumberId !== undefined && phoneNumberId !== media.phoneNumberId))
      return { ok: false, error: metaErrors.unknownObject(id, 'get') };
    const number = this.numbers.find(media.phoneNumberId);
    return number && this.numbers.mayUse(number, authorization)
      ? { ok: true, media }
      : { ok: false, error: metaErrors.invalidToken() };
  }

  /** A fresh URL for the media, good for `urlTtlMs`. */
  signedUrl(baseUrl: string, media: StoredMedia): string {
    const { ext, hash } = this.signer.sign(media.id, this.nowMs() + this.settings.urlTtlMs);
    return `${baseUrl}/media-download/${media.id}?ext=${ext}&hash=${hash}`;
  }

  /**
   * The media URL: without a token of the media's number → 401 ("If you omit your token, the request will
   * fail"); expired, edited or of media no longer there → 404 (§8 item 5: then ask for a new URL).
   */
  download(
    id: string,
    query: { ext?: string; hash?: string },
    authorization: string | undefined,
  ): MediaDownload {
    if (!this.numbers.knowsToken(authorization)) return { ok: false, status: 401 };
    const media = this.graphMedia(id);
    if (!media) return { ok: false, status: 404 };
    const number = this.numbers.find(media.phoneNumberId);
    if (!number || !this.numbers.mayUse(number, authorization)) return { ok: false, status: 401 };
    return this.signer.check(id, query.ext, query.hash, this.nowMs()) === 'valid'
      ? { ok: true, media }
      : { ok: false, status: 404 };
  }

  /** The phone's view of a file, with what the message said about it. */
  phoneView(
    media: StoredMedia,
    extra: Pick<PhoneMedia, 'caption' | 'voice' | 'animated' | 'filename'> = {},
  ): PhoneMedia {
    const filename = extra.filename ?? media.filename;
    return {
      id: media.id,
      mime_type: media.mimeType,
      sha256: media.digest.toString('hex'),
      file_size: media.bytes.length,
      url: `/sim/media/${media.id}`,
      ...(filename ? { filename } : {}),
      ...(extra.caption ? { caption: extra.caption } : {}),
      ...(extra.voice !== undefined ? { voice: extra.voice } : {}),
      ...(extra.animated !== undefined ? { animated: extra.animated } : {}),
    };
  }

  clear(): void {
    this.media.clear();
  }

  private nowMs(): number {
    return this.settings.now().getTime();
  }
}
