import { describe, expect, it } from 'vitest';
import { sampleFile } from '../sample-media.js';
import { checkMediaFile } from './media-checks.js';

const png = sampleFile('image').bytes;

describe('checkMediaFile', () => {
  it('takes every sample file as its type (the MIME type names the type)', () => {
    for (const type of ['image', 'audio', 'video', 'document', 'sticker'] as const) {
      const sample = sampleFile(type);
      expect(checkMediaFile({ mimeType: sample.mimeType, bytes: sample.bytes }), type).toMatchObject({
        ok: true,
        type,
      });
    }
  });

  it('refuses bytes that are not what the MIME type says, naming what they are', () => {
    expect(checkMediaFile({ mimeType: 'audio/ogg', bytes: png })).toEqual({
      ok: false,
      details: "The file's content (png) does not match its declared MIME type audio/ogg.",
    });
    expect(checkMediaFile({ mimeType: 'image/jpeg', bytes: png })).toMatchObject({ ok: false });
  });

  it('refuses a MIME type Meta does not take, and one the send type does not take', () => {
    expect(checkMediaFile({ mimeType: 'image/gif', bytes: Buffer.from('GIF89a') })).toEqual({
      ok: false,
      details: 'Media type image/gif is not supported by WhatsApp Cloud API.',
    });
    expect(checkMediaFile({ mimeType: 'image/png', bytes: png, type: 'audio' })).toMatchObject({
      ok: false,
      details: expect.stringMatching(/^Media type not supported: audio must be one of/),
    });
  });

  it("refuses a file over its type's cap (the real size when only part was kept) and OGG that is not Opus", () => {
    expect(checkMediaFile({ mimeType: 'image/png', bytes: png, size: 5 * 1024 * 1024 + 1 })).toMatchObject({
      ok: false,
      details: expect.stringMatching(/^Media file size not supported: image may be at most 5242880 bytes/),
    });
    expect(
      checkMediaFile({ mimeType: 'audio/ogg', bytes: Buffer.from('OggS\0\x02vorbis', 'latin1') }),
    ).toEqual({ ok: false, details: 'audio/ogg is supported with the Opus codec only (OGG/Opus, mono).' });
  });
});
