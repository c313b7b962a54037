import type { MetaMediaType } from './meta-media-types.js';

/**
 * Meta's media rules (docs/whatsapp-cloud-api.md §8): which MIME types each outbound type accepts and how large
 * it may be, the inbound cap, and how long media URLs and ids live. The media service, the SDK, the operator UI
 * and the simulator all check against this table, so a limit changes in one place.
 */
const KB = 1024;
const MB = 1024 * KB;

export interface MediaTypeRule {
  /** MIME types Meta accepts for this type (without parameters: `audio/ogg`, not `audio/ogg; codecs=opus`). */
  readonly mimeTypes: readonly string[];
  /** Largest upload Meta accepts, in bytes. */
  readonly maxBytes: number;
}

export const metaMediaRules: Readonly<Record<MetaMediaType, MediaTypeRule>> = {
  // aac, amr, mp3, m4a, ogg (Opus only; a voice note is OGG/Opus with `voice: true`); mono only.
  audio: { mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'], maxBytes: 16 * MB },
  document: {
    mimeTypes: [
      'text/plain',
      'application/pdf',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
    maxBytes: 100 * MB,
  },
  image: { mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB },
  // 100 KB static, 500 KB animated: the larger is the type's cap, `stickerMaxBytes` tells them apart.
  sticker: { mimeTypes: ['image/webp'], maxBytes: 500 * KB },
  video: { mimeTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB },
};

export const stickerMaxBytes = { static: 100 * KB, animated: 500 * KB } as const;

export const metaMediaLimits = {
  /** A user's file larger than this never reaches the business: Meta sends error 131052 instead. */
  inboundMaxBytes: 100 * MB,
  /** A media URL from `GET /{media-id}` works this long, and only with the token. */
  urlTtlMs: 5 * 60 * 1000,
  /** Media ids in webhooks can be fetched this long; ids returned by an upload, 30 days. */
  inboundIdTtlDays: 7,
  uploadedIdTtlDays: 30,
} as const;

/** Meta's error codes for media (§7.3): inbound download failed (e.g. > 100 MB), upload rejected (wrong MIME). */
export const metaMediaErrorCodes = { downloadFailed: 131052, uploadFailed: 131053 } as const;

/** `audio/ogg; codecs=opus` → `audio/ogg`. */
export const baseMimeType = (mimeType: string): string => mimeType.split(';')[0]?.trim().toLowerCase() ?? '';

export type MediaCheckProblem =
  | { field: 'mime_type'; message: string }
  | { field: 'size'; message: string }
  | { field: 'filename'; message: string };

/**
 * Why Meta would refuse this file as `type`, or [] when it would take it. `animated` only matters for stickers.
 */
export function checkOutboundMedia(input: {
  type: MetaMediaType;
  mimeType: string;
  size: number;
  animated?: boolean;
}): MediaCheckProblem[] {
  const rule = metaMediaRules[input.type];
  const problems: MediaCheckProblem[] = [];
  const mime = baseMimeType(input.mimeType);
  if (!rule.mimeTypes.includes(mime)) {
    problems.push({
      field: 'mime_type',
      message: `${input.type} must be one of ${rule.mimeTypes.join(', ')} (got ${mime || 'none'})`,
    });
  }
  const max =
    input.type === 'sticker' ? stickerMaxBytes[input.animated ? 'animated' : 'static'] : rule.maxBytes;
  if (input.size <= 0) problems.push({ field: 'size', message: 'the file is empty' });
  else if (input.size > max) {
    problems.push({
      field: 'size',
      message: `${input.type} may be at most ${max} bytes (got ${input.size})`,
    });
  }
  return problems;
}

/** The outbound type a MIME type can be sent as, when exactly one fits (`image/webp` → sticker). */
export function mediaTypeForMime(mimeType: string): MetaMediaType | undefined {
  const mime = baseMimeType(mimeType);
  const entry = Object.entries(metaMediaRules).find(([, rule]) => rule.mimeTypes.includes(mime));
  return entry?.[0] as MetaMediaType | undefined;
}

/**
 * Meta's `sha256` is hex in older payloads and base64 in current ones (§8 item 10): compare whatever it sent to
 * the digest of the bytes in both encodings.
 */
export function sha256Matches(metaSha256: string, digest: Buffer): boolean {
  const given = metaSha256.trim();
  return given.toLowerCase() === digest.toString('hex') || given === digest.toString('base64');
}
