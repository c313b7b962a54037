import { describe, expect, it } from 'vitest';
import { planUpload } from './upload-plan.js';

// whatsapp-cloud-api.md §8 item 8: per-type MIME types and size caps, checked before anything reaches Meta.
describe('planUpload', () => {
  it('takes the type from the MIME type and names the file', () => {
    expect(planUpload({ mimeType: 'application/pdf', size: 10, filename: 'invoice-4821.pdf' })).toEqual({
      ok: true,
      type: 'document',
      mimeType: 'application/pdf',
      filename: 'invoice-4821.pdf',
    });
    expect(planUpload({ mimeType: 'audio/ogg; codecs=opus', size: 10 })).toMatchObject({
      ok: true,
      type: 'audio',
      mimeType: 'audio/ogg; codecs=opus',
      filename: 'audio.ogg',
    });
  });

  it('refuses with every problem by field', () => {
    expect(planUpload({ mimeType: 'image/gif', size: 10 })).toEqual({
      ok: false,
      problems: [{ field: 'mime_type', message: 'no WhatsApp media type accepts image/gif' }],
    });
    const plan = planUpload({
      mimeType: 'image/png',
      size: 6 * 1024 * 1024,
      type: 'image',
      filename: 'a/b.png',
    });
    expect(plan.ok ? [] : plan.problems.map((p) => p.field)).toEqual(['size', 'filename']);
    expect(planUpload({ mimeType: 'image/png', size: 1, type: 'gif' })).toMatchObject({
      ok: false,
      problems: [{ field: 'type' }],
    });
    expect(planUpload({ mimeType: 'image/png', size: 1, type: 'sticker' })).toMatchObject({
      ok: false,
      problems: [{ field: 'mime_type' }],
    });
    expect(planUpload({ mimeType: undefined, size: 1 })).toMatchObject({
      ok: false,
      problems: [{ field: 'mime_type' }],
    });
  });
});
