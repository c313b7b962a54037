import { describe, expect, it } from 'vitest';
import { prepareReply } from './prepare-reply.js';

const now = new Date('2026-01-10T12:00:00Z');
const open = '2026-01-11T10:00:00Z';
const closed = '2026-01-10T11:59:59Z';

describe('prepareReply', () => {
  it('refuses a free-form reply once the window has closed', () => {
    const request = { waID: '55', idempotencyKey: 'key-1', reply: { kind: 'text' as const, text: 'hi' } };
    expect(() => prepareReply(request, closed, now)).toThrow(/window is closed/);
    expect(() => prepareReply(request, null, now)).toThrow(/window is closed/);
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
