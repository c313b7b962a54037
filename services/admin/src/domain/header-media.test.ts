import type { TemplateComponentDefinition } from '@wa-broker/shared/message-templates';
import { describe, expect, it } from 'vitest';
import {
  definitionProblems,
  largestHeaderSampleBytes,
  planHeaderSample,
  withHeaderHandle,
} from './header-media.js';

const header = (format: string, example?: Record<string, unknown>) =>
  ({ type: 'HEADER', format, ...(example ? { example } : {}) }) as TemplateComponentDefinition;
const body = { type: 'BODY', text: 'Hello there' } as TemplateComponentDefinition;
const file = (mimeType: string, size = 10) => ({ bytes: Buffer.alloc(size, 1), mimeType, filename: 'f' });

describe('planHeaderSample', () => {
  it('takes a file of a type the header format takes, by Meta’s media rules', () => {
    expect(planHeaderSample([header('IMAGE'), body], file('image/png'))).toEqual({
      ok: true,
      index: 0,
      format: 'IMAGE',
    });
    expect(planHeaderSample([header('DOCUMENT'), body], file('application/pdf'))).toMatchObject({ ok: true });
  });

  it('answers by field: the MIME type, the size, a header without media, both ways of giving the sample', () => {
    const wrong = planHeaderSample([header('IMAGE'), body], file('application/pdf'));
    expect(wrong).toMatchObject({ ok: false, problems: [{ field: 'header_media.mime_type' }] });
    const large = planHeaderSample([header('IMAGE'), body], file('image/png', 5 * 1024 * 1024 + 1));
    expect(large).toMatchObject({ ok: false, problems: [{ field: 'header_media.size' }] });
    expect(planHeaderSample([header('TEXT'), body], file('image/png'))).toMatchObject({
      ok: false,
      problems: [{ field: 'header_media' }],
    });
    expect(
      planHeaderSample([header('IMAGE', { header_handle: ['4::x'] }), body], file('image/png')),
    ).toMatchObject({ ok: false, problems: [{ field: 'header_media' }] });
  });

  it('sizes the largest sample by the document cap', () => {
    expect(largestHeaderSampleBytes).toBe(100 * 1024 * 1024);
  });
});

describe('definitionProblems', () => {
  const input = {
    wabaId: '1',
    name: 'spring_promo',
    language: 'en_US',
    category: 'MARKETING' as const,
    components: [header('IMAGE'), body],
  };

  it('lets a media header without a handle through while its sample file fits, and puts the handle in', () => {
    expect(definitionProblems(input)).toEqual([
      expect.objectContaining({ field: 'components[0].example.header_handle' }),
    ]);
    expect(definitionProblems(input, planHeaderSample(input.components, file('image/png')))).toEqual([]);
    expect(definitionProblems(input, planHeaderSample(input.components, file('image/gif')))).toEqual([
      expect.objectContaining({ field: 'header_media.mime_type' }),
    ]);
    expect(withHeaderHandle(input.components, 0, '4::h')[0]).toEqual(
      header('IMAGE', { header_handle: ['4::h'] }),
    );
  });
});
