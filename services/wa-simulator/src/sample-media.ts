import type { MetaMediaType } from '@wa-broker/shared/meta-media-types';
import { samplePhoto } from './sample-photo.js';
import { sampleVideo } from './sample-video.js';

/** A file a simulated user sends when no bytes are given: one small valid file per media type. */
export interface SampleFile {
  bytes: Buffer;
  mimeType: string;
  filename?: string;
}

const cache = new Map<MetaMediaType, SampleFile>();

/**
 * The photo (PNG), a one-second silent voice note (OGG/Opus, mono, as WhatsApp records them), a two-second
 * H.264/AAC MP4 that browsers play, a one-page PDF and a 1×1 WebP sticker.
 */
export function sampleFile(type: MetaMediaType): SampleFile {
  let file = cache.get(type);
  if (!file) {
    file = make(type);
    cache.set(type, file);
  }
  return file;
}

function make(type: MetaMediaType): SampleFile {
  switch (type) {
    case 'image':
      return { bytes: samplePhoto(), mimeType: 'image/png', filename: 'photo.png' };
    case 'audio':
      return { bytes: silentVoiceNote(), mimeType: 'audio/ogg; codecs=opus', filename: 'voice-note.ogg' };
    case 'video':
      return { bytes: sampleVideo(), mimeType: 'video/mp4', filename: 'video.mp4' };
    case 'document':
      return { bytes: onePagePdf('Sample document'), mimeType: 'application/pdf', filename: 'sample.pdf' };
    case 'sticker':
      // The smallest lossless WebP (1×1), as browsers' feature tests use it.
      return {
        bytes: Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64'),
        mimeType: 'image/webp',
        filename: 'sticker.webp',
      };
  }
}

/** An OGG/Opus stream: OpusHead, OpusTags, then 50 silent 20 ms CELT frames (one second). */
export function silentVoiceNote(): Buffer {
  const serial = 0x5157_4131;
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'latin1');
  head.writeUInt8(1, 8); // version
  head.writeUInt8(1, 9); // mono, as Meta requires
  head.writeUInt16LE(312, 10); // pre-skip
  head.writeUInt32LE(48_000, 12);
  const vendor = Buffer.from('wa-simulator', 'latin1');
  const tags = Buffer.alloc(8 + 4 + vendor.length + 4);
  tags.write('OpusTags', 0, 'latin1');
  tags.writeUInt32LE(vendor.length, 8);
  vendor.copy(tags, 12);
  const frames = Array.from({ length: 50 }, () => Buffer.from([0xf8, 0xff, 0xfe]));
  return Buffer.concat([
    oggPage({ serial, sequence: 0, granule: 0n, flags: 0x02, packets: [head] }),
    oggPage({ serial, sequence: 1, granule: 0n, flags: 0, packets: [tags] }),
    oggPage({ serial, sequence: 2, granule: BigInt(312 + 50 * 960), flags: 0x04, packets: frames }),
  ]);
}

function oggPage(page: {
  serial: number;
  sequence: number;
  granule: bigint;
  flags: number;
  packets: Buffer[];
}): Buffer {
  const lacing = page.packets.flatMap((packet) => [
    ...Array.from({ length: Math.floor(packet.length / 255) }, () => 255),
    packet.length % 255,
  ]);
  const header = Buffer.alloc(27);
  header.write('OggS', 0, 'latin1');
  header.writeUInt8(page.flags, 5);
  header.writeBigInt64LE(page.granule, 6);
  header.writeUInt32LE(page.serial, 14);
  header.writeUInt32LE(page.sequence, 18);
  header.writeUInt8(lacing.length, 26);
  const bytes = Buffer.concat([header, Buffer.from(lacing), ...page.packets]);
  bytes.writeUInt32LE(oggCrc(bytes), 22);
  return bytes;
}

/** OGG's CRC-32: polynomial 0x04c11db7, not reflected, initial value 0. */
function oggCrc(bytes: Buffer): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 0x8000_0000 ? (crc << 1) ^ 0x04c1_1db7 : crc << 1;
  }
  return crc >>> 0;
}

/** A one-page PDF with one line of text, with a correct cross-reference table. */
export function onePagePdf(text: string): Buffer {
  const content = `BT /F1 18 Tf 20 40 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<</Type/Catalog/Pages 2 0 R>>',
    '<</Type/Pages/Kids[3 0 R]/Count 1>>',
    '<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 100]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>',
    `<</Length ${content.length}>>\nstream\n${content}\nendstream`,
    '<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<</Size ${objects.length + 1}/Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
