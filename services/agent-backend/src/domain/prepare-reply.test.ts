import { describe, expect, it } from 'vitest';
import { prepareReply } from './prepare-reply.js';

const now = new Date('2026-01-10T12:00:00Z');
const open = { window_expires_at: '2026-01-11T10:00:00Z', session: 'open' as const };
const closed = { window_expires_at: '2026-01-10T11:59:59Z', session: 'open' as const };

describe('prepareReply', () => {
  it('sends an uploaded file as a media message and keeps a bubble that links to it (issue 18 §3)', () => {
    const reply = {
      kind: 'media' as const,
      media_type: 'document' as const,
      id: '901',
      caption: 'Your invoice',
      filename: 'invoice.pdf',
    };
    const prepared = prepareReply(
      { waID: '55', idempotencyKey: 'key-m1', reply },
      { ...open, phone_number_id: '106540352242922' },
      now,
    );
    expect(prepared.outbound).toMatchObject({
      message_type: 'document',
      media: { id: '901', caption: 'Your invoice', filename: 'invoice.pdf' },
    });
    expect(prepared.message).toMatchObject({
      type: 'media',
      text: 'Your invoice',
      media: { id: '901', path: '/v1/media/106540352242922/901', filename: 'invoice.pdf' },
    });
    const voiceWithCaption = {
      kind: 'media' as const,
      media_type: 'audio' as const,
      id: '902',
      voice: true,
      caption: 'no',
    };
    expect(() =>
      prepareReply({ waID: '55', idempotencyKey: 'key-m2', reply: voiceWithCaption }, open, now),
    ).toThrow(expect.objectContaining({ field: 'media.caption' }));
    expect(() => prepareReply({ waID: '55', idempotencyKey: 'key-m3', reply }, closed, now)).toThrow(
      /window is closed/,
    );
  });

  it('refuses a free-form reply once the window has closed', () => {
    const request = { waID: '55', idempotencyKey: 'key-1', reply: { kind: 'text' as const, text: 'hi' } };
    expect(() => prepareReply(request, closed, now)).toThrow(/window is closed/);
    expect(() => prepareReply(request, { window_expires_at: null, session: 'unknown' }, now)).toThrow(
      /window is closed/,
    );
  });

  it('refuses a free-form reply in the last 5 minutes of the window, as the router does', () => {
    const request = { waID: '55', idempotencyKey: 'key-4', reply: { kind: 'text' as const, text: 'hi' } };
    const lastMinutes = { window_expires_at: '2026-01-10T12:04:59Z', session: 'open' as const };
    expect(() => prepareReply(request, lastMinutes, now)).toThrow(/window is closed/);
    const justBefore = { window_expires_at: '2026-01-10T12:05:01Z', session: 'open' as const };
    expect(prepareReply(request, justBefore, now).outbound.text).toBe('hi');
  });

  it('refuses any reply, templates too, once the session has ended', () => {
    const request = {
      waID: '55',
      idempotencyKey: 'key-5',
      reply: { kind: 'template' as const, name: 'hello', language: 'en_US', body_parameters: [] },
    };
    expect(() => prepareReply(request, { ...open, session: 'ended' }, now)).toThrow(
      expect.objectContaining({ code: 'not_in_session' }),
    );
  });

  it("refuses what breaks Meta's limits with the router's own reason", () => {
    const sections = [{ title: 'A', rows: [{ id: 'a', title: 'A1' }] }];
    const request = {
      waID: '55',
      idempotencyKey: 'key-6',
      reply: { kind: 'list' as const, body: 'Pick', button: 'x'.repeat(21), sections },
    };
    expect(() => prepareReply(request, open, now)).toThrow('list_title is 21 characters; Meta allows 20');
  });

  it('lets a template through a closed window, its parameters as body text parameters', () => {
    const { outbound, message } = prepareReply(
      {
        waID: '55',
        idempotencyKey: 'key-2',
        reply: { kind: 'template', name: 'hello', language: 'en_US', body_parameters: ['Ana'] },
      },
      closed,
      now,
    );
    expect(outbound).toEqual({
      v: 1,
      waID: '55',
      idempotency_key: 'key-2',
      origin: 'operator',
      message_type: 'template',
      template: {
        name: 'hello',
        language: 'en_US',
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }],
      },
    });
    expect(message).toMatchObject({ id: 'key-2', direction: 'out', status: 'pending', text: 'hello' });
  });

  it('sends a list of several sections as list_sections', () => {
    const sections = [
      { title: 'A', rows: [{ id: 'a', title: 'A1' }] },
      { title: 'B', rows: [{ id: 'b', title: 'B1' }] },
    ];
    const { outbound } = prepareReply(
      {
        waID: '55',
        idempotencyKey: 'key-3',
        reply: { kind: 'list', body: 'Pick', button: 'Open', sections },
      },
      open,
      now,
    );
    expect(outbound).toMatchObject({
      message_type: 'list',
      text: 'Pick',
      list_title: 'Open',
      list_sections: sections,
    });
    expect(outbound.list_items).toBeUndefined();
  });
});
