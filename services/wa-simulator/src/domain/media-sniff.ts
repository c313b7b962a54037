import { baseMimeType } from '@wa-broker/shared/meta-media-rules';

/**
 * What a file's first bytes say it is (its magic number), for the formats whose signature is cheap to read. Meta
 * answers a file whose content does not match its declared MIME type with 131053 (whatsapp-cloud-api.md §8
 * item 8); the simulator checks the bytes the same way where it can.
 */
export type SniffedFormat =
  | 'jpeg'
  | 'png'
  | 'webp'
  | 'gif'
  | 'pdf'
  | 'ogg'
  | 'mp4'
  | '3gp'
  | 'm4a'
  | 'mp3'
  | 'aac'
  | 'amr'
  | 'zip'
  | 'ole';

const startsWith = (bytes: Buffer, signature: readonly number[] | string, offset = 0): boolean => {
  const expected = typeof signature === 'string' ? Buffer.from(signature, 'latin1') : Buffer.from(signature);
  return (
    bytes.length >= offset + expected.length &&
    bytes.subarray(offset, offset + expected.length).equals(expected)
  );
};

/** The format of `bytes` by its magic number, or undefined when none of the known signatures is there. */
export function sniffFormat(bytes: Buffer): SniffedFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, 'RIFF') && startsWith(bytes, 'WEBP', 8)) return 'webp';
  if (startsWith(bytes, 'GIF87a') || startsWith(bytes, 'GIF89a')) return 'gif';
  if (startsWith(bytes, '%PDF-')) return 'pdf';
  if (startsWith(bytes, 'OggS')) return 'ogg';
  if (startsWith(bytes, 'ftyp', 4)) {
    const brand = bytes.subarray(8, 12).toString('latin1');
    if (brand.startsWith('3gp') || brand.startsWith('3g2')) return '3gp';
    if (brand === 'M4A ' || brand === 'M4B ') return 'm4a';
    return 'mp4';
  }
  if (startsWith(bytes, '#!AMR')) return 'amr';
  if (startsWith(bytes, 'ID3')) return 'mp3';
  // ADTS (AAC) frames: sync word 0xFFF and layer 00; MPEG audio frames: sync 0xFFE with a non-zero layer.
  if (bytes.length >= 2 && bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xf6) === 0xf0) return 'aac';
  if (bytes.length >= 2 && bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0) return 'mp3';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  return undefined;
}

/** The formats each MIME type of Meta's table may have; `text/plain` is checked apart (no NUL bytes). */
const formatsOf: Record<string, readonly SniffedFormat[]> = {
  'image/jpeg': ['jpeg'],
  'image/png': ['png'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
  'audio/ogg': ['ogg'],
  'audio/mpeg': ['mp3'],
  'audio/aac': ['aac'],
  'audio/amr': ['amr'],
  'audio/mp4': ['m4a', 'mp4'],
  'video/mp4': ['mp4', 'm4a'],
  'video/3gpp': ['3gp', 'mp4'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['zip'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['zip'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['zip'],
  'application/vnd.ms-excel': ['ole'],
  'application/msword': ['ole'],
  'application/vnd.ms-powerpoint': ['ole'],
};

/**
 * Whether the bytes can be what `mimeType` declares: the magic number of the declared format, or for
 * `text/plain` no NUL byte in the first 8 KB. A MIME type the table does not know is not checked (true).
 */
export function bytesMatchMime(bytes: Buffer, mimeType: string): boolean {
  const mime = baseMimeType(mimeType);
  if (mime === 'text/plain') return !bytes.subarray(0, 8192).includes(0);
  const formats = formatsOf[mime];
  if (!formats) return true;
  const found = sniffFormat(bytes);
  return found !== undefined && formats.includes(found);
}

/** The MIME type the bytes' magic number names, for a file that came without one. */
export function mimeOfBytes(bytes: Buffer): string | undefined {
  const format = sniffFormat(bytes);
  if (!format) return undefined;
  const byFormat: Record<SniffedFormat, string> = {
    jpeg: 'image/jpeg',
    png: 'image/png',
    webp: 'image/webp',
    gif: 'image/gif',
    pdf: 'application/pdf',
    ogg: 'audio/ogg',
    mp4: 'video/mp4',
    '3gp': 'video/3gpp',
    m4a: 'audio/mp4',
    mp3: 'audio/mpeg',
    aac: 'audio/aac',
    amr: 'audio/amr',
    zip: 'application/zip',
    ole: 'application/octet-stream',
  };
  return byFormat[format];
}

/** An OGG stream whose first packet is an Opus header: the only OGG audio Meta takes (and its voice notes). */
export function isOpusOgg(bytes: Buffer): boolean {
  return sniffFormat(bytes) === 'ogg' && bytes.subarray(0, 128).includes(Buffer.from('OpusHead', 'latin1'));
}

/** A WebP whose extended header (VP8X) sets the animation flag: an animated sticker (500 KB, not 100 KB). */
export function isAnimatedWebp(bytes: Buffer): boolean {
  return sniffFormat(bytes) === 'webp' && startsWith(bytes, 'VP8X', 12) && ((bytes[20] ?? 0) & 0x02) !== 0;
}
