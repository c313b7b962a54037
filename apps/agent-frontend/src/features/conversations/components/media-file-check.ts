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

/** How people know a MIME type; one missing from this list (a new row of Meta's table) shows as itself. */
const knownAs: Record<string, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'video/mp4': 'MP4',
  'video/3gpp': '3GPP',
  'audio/aac': 'AAC',
  'audio/amr': 'AMR',
  'audio/mpeg': 'MP3',
  'audio/mp4': 'M4A',
  'audio/ogg': 'OGG',
  'text/plain': 'text',
  'application/pdf': 'PDF',
  'application/msword': 'Word',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.ms-excel': 'Excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/vnd.ms-powerpoint': 'PowerPoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint',
};

const orList = (items: string[]) =>
  items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;

/** `…; JPEG or PNG photos; WebP stickers; …`, from Meta's table. */
function acceptedInWords(): string {
  return (Object.keys(metaMediaRules) as MetaMediaType[])
    .map((type) => {
      const names = [...new Set(metaMediaRules[type].mimeTypes.map((mime) => knownAs[mime] ?? mime))];
      return `${orList(names)} ${plural[type]}`;
    })
    .join('; ');
}

/** The longest file name the media service and the protocol take. */
const maxFilename = 240;

/** Only these types carry a caption on WhatsApp (the shared outbound rules refuse one elsewhere). */
export const captionedTypes: ReadonlySet<MetaMediaType> = new Set(['image', 'video', 'document']);

/**
 * The type a file would be sent as and why WhatsApp would refuse it, by field, from Meta's shared table
 * (`@wa-broker/shared/meta-media-rules`): nothing is uploaded while there is a problem.
 */
export function checkFile(
  file: { type: string; size: number; name?: string },
  animated = false,
): { type?: MetaMediaType; problems: FieldProblem[] } {
  const mime = baseMimeType(file.type);
  const type = mediaTypeForMime(file.type);
  if (!type)
    return {
      problems: [
        {
          field: 'mime_type',
          message: `WhatsApp does not take ${mime ? `${mime} files` : 'files of an unknown type'}. It takes ${acceptedInWords()}.`,
        },
      ],
    };
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
  if ((file.name ?? '').length > maxFilename)
    problems.push({ field: 'filename', message: `at most ${maxFilename} characters: rename the file.` });
  return { type, problems };
}

/** The file types a template's media header takes, for its file picker's `accept`. */
export const headerAccept = (type: 'image' | 'video' | 'document') =>
  metaMediaRules[type].mimeTypes.join(',');

/**
 * Why WhatsApp would refuse a file as a template's image, video or document header: a file of another kind (a
 * photo for a document header), else {@link checkFile}'s problems (Meta's per-type size and format limits).
 */
export function checkHeaderFile(
  file: { type: string; size: number; name?: string },
  type: 'image' | 'video' | 'document',
): FieldProblem[] {
  const checked = checkFile(file);
  if (checked.type === type) return checked.problems;
  const names = [...new Set(metaMediaRules[type].mimeTypes.map((mime) => knownAs[mime] ?? mime))];
  const mime = baseMimeType(file.type);
  return [
    {
      field: 'mime_type',
      message: `This header takes ${orList(names)} ${plural[type]}, not ${mime ? `${mime} files` : 'files of an unknown type'}.`,
    },
  ];
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
