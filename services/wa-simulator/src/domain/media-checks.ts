import { baseMimeType, checkOutboundMedia, mediaTypeForMime } from '@wa-broker/shared/meta-media-rules';
import type { MetaMediaType } from '@wa-broker/shared/meta-media-types';
import { bytesMatchMime, isAnimatedWebp, isOpusOgg, sniffFormat } from './media-sniff.js';

export type MediaFileCheck =
  | { ok: true; type: MetaMediaType; mimeType: string; animated: boolean }
  | { ok: false; details: string };

/**
 * Whether Meta would take this file, uploaded with `mimeType` (or fetched from a send's link as `type`): a MIME
 * type of its table (`@wa-broker/shared/meta-media-rules`), bytes that are what the MIME type says (the magic
 * number; OGG must be Opus), a size within the type's cap (a sticker's by whether it is animated). Otherwise
 * the `details` of Meta's 131053 "Media upload error" (whatsapp-cloud-api.md §8 items 8–9).
 */
export function checkMediaFile(input: {
  mimeType: string;
  bytes: Buffer;
  /** The real size when only part of the bytes was kept; default the bytes' length. */
  size?: number;
  /** The message type it is sent as; default the one the MIME type belongs to. */
  type?: MetaMediaType;
}): MediaFileCheck {
  const mime = baseMimeType(input.mimeType);
  const type = input.type ?? mediaTypeForMime(mime);
  if (!type)
    return { ok: false, details: `Media type ${mime || '(none)'} is not supported by WhatsApp Cloud API.` };
  const size = input.size ?? input.bytes.length;
  const animated = type === 'sticker' && isAnimatedWebp(input.bytes);
  const [mimeProblem] = checkOutboundMedia({ type, mimeType: mime, size, animated }).filter(
    (problem) => problem.field === 'mime_type',
  );
  if (mimeProblem) return { ok: false, details: `Media type not supported: ${mimeProblem.message}.` };
  if (!bytesMatchMime(input.bytes, mime)) {
    const found = sniffFormat(input.bytes);
    return {
      ok: false,
      details: `The file's content (${found ?? 'unrecognised format'}) does not match its declared MIME type ${mime}.`,
    };
  }
  if (mime === 'audio/ogg' && !isOpusOgg(input.bytes))
    return { ok: false, details: 'audio/ogg is supported with the Opus codec only (OGG/Opus, mono).' };
  const [sizeProblem] = checkOutboundMedia({ type, mimeType: mime, size, animated });
  if (sizeProblem) return { ok: false, details: `Media file size not supported: ${sizeProblem.message}.` };
  return { ok: true, type, mimeType: input.mimeType, animated };
}
