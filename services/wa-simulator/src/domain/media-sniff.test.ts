import { describe, expect, it } from 'vitest';
import { onePagePdf, sampleFile, silentVoiceNote } from '../sample-media.js';
import { bytesMatchMime, isAnimatedWebp, isOpusOgg, mimeOfBytes, sniffFormat } from './media-sniff.js';

const png = sampleFile('image').bytes;
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
const webp = sampleFile('sticker').bytes;
const mp4 = sampleFile('video').bytes;
/** A VP8X WebP header with the animation flag (bit 1 of byte 20). */
const animatedWebp = Buffer.concat([
  Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00', 'latin1'),
  Buffer.from([0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
]);

describe('sniffFormat', () => {
  it("reads the magic numbers of the formats Meta's table names", () => {
    expect(sniffFormat(png)).toBe('png');
    expect(sniffFormat(jpeg)).toBe('jpeg');
    expect(sniffFormat(webp)).toBe('webp');
    expect(sniffFormat(onePagePdf('x'))).toBe('pdf');
    expect(sniffFormat(silentVoiceNote())).toBe('ogg');
    expect(sniffFormat(mp4)).toBe('mp4');
    expect(sniffFormat(Buffer.from('\0\0\0\x18ftyp3gp4', 'latin1'))).toBe('3gp');
    expect(sniffFormat(Buffer.from('\0\0\0\x18ftypM4A ', 'latin1'))).toBe('m4a');
    expect(sniffFormat(Buffer.from('#!AMR\n'))).toBe('amr');
    expect(sniffFormat(Buffer.from('ID3\x04'))).toBe('mp3');
    expect(sniffFormat(Buffer.from([0xff, 0xf1, 0x50]))).toBe('aac');
    expect(sniffFormat(Buffer.from([0xff, 0xfb, 0x90]))).toBe('mp3');
    expect(sniffFormat(Buffer.from('PK\x03\x04', 'latin1'))).toBe('zip');
    expect(sniffFormat(Buffer.from('plain words'))).toBeUndefined();
    expect(sniffFormat(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('bytesMatchMime', () => {
  it('accepts bytes that are what the MIME type says, parameters ignored', () => {
    expect(bytesMatchMime(png, 'image/png')).toBe(true);
    expect(bytesMatchMime(jpeg, 'image/jpeg')).toBe(true);
    expect(bytesMatchMime(silentVoiceNote(), 'audio/ogg; codecs=opus')).toBe(true);
    expect(bytesMatchMime(onePagePdf('x'), 'application/pdf')).toBe(true);
    expect(bytesMatchMime(mp4, 'video/mp4')).toBe(true);
    expect(bytesMatchMime(Buffer.from('hello\n'), 'text/plain')).toBe(true);
  });

  it('refuses PNG bytes declared as a JPEG or a voice note, and binary declared as text', () => {
    expect(bytesMatchMime(png, 'image/jpeg')).toBe(false);
    expect(bytesMatchMime(png, 'audio/ogg')).toBe(false);
    expect(bytesMatchMime(png, 'text/plain')).toBe(false);
    expect(bytesMatchMime(Buffer.from('not a pdf'), 'application/pdf')).toBe(false);
  });

  it('does not judge a MIME type outside the table', () => {
    expect(bytesMatchMime(png, 'application/x-custom')).toBe(true);
  });
});

describe('mimeOfBytes, isOpusOgg, isAnimatedWebp', () => {
  it('name the MIME type of known bytes, Opus in OGG and an animated WebP', () => {
    expect(mimeOfBytes(png)).toBe('image/png');
    expect(mimeOfBytes(Buffer.from('?'))).toBeUndefined();
    expect(isOpusOgg(silentVoiceNote())).toBe(true);
    expect(isOpusOgg(Buffer.from('OggS\0\x02 vorbis', 'latin1'))).toBe(false);
    expect(isAnimatedWebp(animatedWebp)).toBe(true);
    expect(isAnimatedWebp(webp)).toBe(false);
  });
});
