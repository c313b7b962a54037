import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkOutboundMedia, mediaTypeForMime, metaMediaRules, sha256Matches } from './meta-media-rules.js';

// whatsapp-cloud-api.md §8 items 8 and 10.
describe("Meta's media table", () => {
  it('accepts each type within its MIME types and size', () => {
    expect(checkOutboundMedia({ type: 'image', mimeType: 'image/jpeg', size: 5 * 1024 * 1024 })).toEqual([]);
    expect(checkOutboundMedia({ type: 'audio', mimeType: 'audio/ogg; codecs=opus', size: 10 })).toEqual([]);
    expect(
      checkOutboundMedia({ type: 'document', mimeType: 'application/pdf', size: 100 * 1024 * 1024 }),
    ).toEqual([]);
    expect(
      checkOutboundMedia({ type: 'sticker', mimeType: 'image/webp', size: 400 * 1024, animated: true }),
    ).toEqual([]);
  });

  it('names the field at fault: MIME type, size, an empty file', () => {
    expect(checkOutboundMedia({ type: 'image', mimeType: 'image/gif', size: 10 })).toEqual([
      { field: 'mime_type', message: expect.stringContaining('image/jpeg, image/png (got image/gif)') },
    ]);
    expect(
      checkOutboundMedia({ type: 'image', mimeType: 'image/png', size: 5 * 1024 * 1024 + 1 })[0]?.field,
    ).toBe('size');
    expect(checkOutboundMedia({ type: 'sticker', mimeType: 'image/webp', size: 101 * 1024 })[0]?.field).toBe(
      'size',
    );
    expect(checkOutboundMedia({ type: 'video', mimeType: 'video/mp4', size: 0 })[0]?.message).toBe(
      'the file is empty',
    );
  });

  it('finds the type of a MIME type, and no type twice', () => {
    expect(mediaTypeForMime('image/webp')).toBe('sticker');
    expect(mediaTypeForMime('audio/ogg; codecs=opus')).toBe('audio');
    expect(mediaTypeForMime('application/zip')).toBeUndefined();
    const all = Object.values(metaMediaRules).flatMap((rule) => rule.mimeTypes);
    expect(new Set(all).size).toBe(all.length);
  });

  it("compares Meta's sha256 in hex or base64", () => {
    const digest = createHash('sha256').update('parcel').digest();
    expect(sha256Matches(digest.toString('hex').toUpperCase(), digest)).toBe(true);
    expect(sha256Matches(digest.toString('base64'), digest)).toBe(true);
    expect(sha256Matches(createHash('sha256').update('other').digest('base64'), digest)).toBe(false);
  });
});
