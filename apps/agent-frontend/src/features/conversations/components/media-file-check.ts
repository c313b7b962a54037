import {
  baseMimeType,
  checkOutboundMedia,
  mediaTypeForMime,
  metaMediaRules,
  stickerMaxBytes,
} from '@wa-broker/shared/meta-media-rules';
import type { MetaMediaType } from '@wa-broker/shared/meta-media-types';
import { humanSize } from './format.js';
import type { FieldProblem } from './reply-check.js';

/** What each field is called next to its problem. */
export const fieldLabels: Record<string, string> = {
  mime_type: 'File type',
  size: 'Size',
  filename: 'File name',
  caption: 'Caption',
  phone_number_id: 'Business number',
  voice: 'Voice note',
};

/** Every MIME type Meta takes, for the file picker's `accept`. */
export const acceptedMimeTypes = Object.values(metaMediaRules)
  .flatMap((rule) => rule.mimeTypes)
  .join(',');

const plural: Record<MetaMediaType, string> = {
  image: 'photos',
  audio: 'audio files',
  video: 'videos',
  document: 'documents',
  sticker: 'stickers',
};

/** Only these types carry a caption on WhatsApp (the shared outbound rules refuse one elsewhere). */
export const captionedTypes: ReadonlySet<MetaMediaType> = new Set(['image', 'video', 'document']);

/**
 * The type a file would be sent as and why WhatsApp would refuse it, by field, from Meta's shared table
 * (`@wa-broker/shared/meta-media-rules`): nothing is uploaded while there is a problem.
 */
export function checkFile(
  file: { type: string; size: number },
  animated = false,
): { type?: MetaMediaType; problems: FieldProblem[] } {
  const mime = baseMimeType(file.type);
  const type = mediaTypeForMime(file.type);
  if (!type) {
    const accepted = Object.values(metaMediaRules).flatMap((rule) => rule.mimeTypes);
    return {
      problems: [
        {
          field: 'mime_type',
          message: `WhatsApp does not take ${mime ? `${mime} files` : 'files of an unknown type'}; it takes ${accepted.join(', ')}.`,
        },
      ],
    };
  }
  const max =
    type === 'sticker' ? stickerMaxBytes[animated ? 'animated' : 'static'] : metaMediaRules[type].maxBytes;
  const problems = checkOutboundMedia({ type, mimeType: file.type, size: file.size, animated }).map(
    (problem): FieldProblem =>
      problem.field !== 'size'
        ? problem
        : {
            field: 'size',
            message:
              file.size <= 0
                ? 'The file is empty.'
                : `${humanSize(file.size)} is too large: WhatsApp takes ${
                    type === 'sticker' ? `${animated ? 'animated' : 'still'} stickers` : plural[type]
                  } up to ${humanSize(max)}.`,
          },
  );
  return { type, problems };
}

/** Whether a WebP file is animated (VP8X header, animation flag): animated stickers may be 500 KB. */
export async function isAnimatedWebp(file: Blob): Promise<boolean> {
  if (baseMimeType(file.type) !== 'image/webp') return false;
  const head = new Uint8Array(await file.slice(0, 21).arrayBuffer());
  const text = (from: number, to: number) => String.fromCharCode(...head.slice(from, to));
  return (
    text(0, 4) === 'RIFF' && text(8, 12) === 'WEBP' && text(12, 16) === 'VP8X' && ((head[20] ?? 0) & 2) !== 0
  );
}
