import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { describe, expect, it } from 'vitest';
import { toGraphMessage } from './outbound-validation.js';

const rows = (count: number, title = 'Row') =>
  Array.from({ length: count }, (_, i) => ({ id: `r${i}`, title: `${title} ${i}` }));
const msg = (fields: Partial<AgentOutboundMessage>): AgentOutboundMessage => ({
  waID: '155',
  message_type: 'text',
  ...fields,
});

describe('toGraphMessage', () => {
  // whatsapp-cloud-api.md §8 item 9: send by the id of an upload (or a link).
  it('sends media by id with only the fields its type carries', () => {
    const image = msg({ message_type: 'image', media: { id: '901', caption: 'Invoice photo' } });
    expect(toGraphMessage(image)).toEqual({ type: 'image', image: { id: '901', caption: 'Invoice photo' } });
    const voice = msg({
      message_type: 'audio',
      media: { id: '902', voice: true },
      context_message_id: 'w.1',
    });
    expect(toGraphMessage(voice)).toEqual({
      type: 'audio',
      audio: { id: '902', voice: true },
      context: { message_id: 'w.1' },
    });
    const pdf = msg({
      message_type: 'document',
      media: { link: 'https://example.com/a.pdf', filename: 'a.pdf' },
    });
    expect(toGraphMessage(pdf)).toEqual({
      type: 'document',
      document: { link: 'https://example.com/a.pdf', filename: 'a.pdf' },
    });
  });

  it('refuses media a type cannot carry, naming the field', () => {
    const fieldOf = (message: AgentOutboundMessage) => {
      try {
        toGraphMessage(message);
        return 'accepted';
      } catch (error) {
        return (error as { field?: string }).field;
      }
    };
    expect(fieldOf(msg({ message_type: 'image' }))).toBe('media');
    expect(fieldOf(msg({ message_type: 'image', media: {} }))).toBe('media.id');
    expect(fieldOf(msg({ message_type: 'image', media: { id: '1', link: 'https://x.test/a' } }))).toBe(
      'media.id',
    );
    expect(fieldOf(msg({ message_type: 'audio', media: { id: '1', caption: 'no' } }))).toBe('media.caption');
    expect(fieldOf(msg({ message_type: 'sticker', media: { id: '1', caption: 'no' } }))).toBe(
      'media.caption',
    );
    expect(fieldOf(msg({ message_type: 'image', media: { id: '1', filename: 'a.jpg' } }))).toBe(
      'media.filename',
    );
    expect(fieldOf(msg({ message_type: 'video', media: { id: '1', voice: true } }))).toBe('media.voice');
    expect(fieldOf(msg({ message_type: 'image', media: { id: '1', caption: 'x'.repeat(1025) } }))).toBe(
      'media.caption',
    );
    expect(fieldOf(msg({ message_type: 'sticker', media: { id: '1' } }))).toBe('accepted');
  });

  it('sends a text with a reply context', () => {
    expect(toGraphMessage(msg({ text: 'hi', context_message_id: 'wamid.1' }))).toEqual({
      type: 'text',
      text: { body: 'hi' },
      context: { message_id: 'wamid.1' },
    });
  });

  it("reads the Go original's list: fixed body, list_title as button, list_body as section title", () => {
    const body = toGraphMessage(
      msg({ message_type: 'list', list_title: 'Pick', list_body: 'Options', list_items: rows(2) }),
    );
    expect(body).toEqual({
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: 'Choose an option:' },
        action: { button: 'Pick', sections: [{ title: 'Options', rows: rows(2) }] },
      },
    });
  });

  it('rejects more than 10 rows, long titles and duplicate ids with a clear reason', () => {
    const list = { message_type: 'list' as const, list_title: 'Pick', list_body: 'Options' };
    expect(() => toGraphMessage(msg({ ...list, list_items: rows(11) }))).toThrow(
      '1 to 10 rows in all, got 11',
    );
    expect(() => toGraphMessage(msg({ ...list, list_items: rows(1, 'x'.repeat(30)) }))).toThrow(
      'section 1 row 1 title is 32 characters; Meta allows 24',
    );
    expect(() => toGraphMessage(msg({ ...list, list_items: [rows(1)[0], rows(1)[0]] as never }))).toThrow(
      'used twice',
    );
    expect(() => toGraphMessage(msg({ ...list, list_title: 'x'.repeat(21), list_items: rows(1) }))).toThrow(
      'list_title is 21',
    );
  });

  it('checks reply buttons: at most 3, unique titles, 20 characters', () => {
    const three = [1, 2, 3].map((i) => ({ id: `b${i}`, title: `B${i}` }));
    expect(toGraphMessage(msg({ message_type: 'buttons', text: 'Pick', buttons: three })).type).toBe(
      'interactive',
    );
    expect(() =>
      toGraphMessage(
        msg({ message_type: 'buttons', text: 'Pick', buttons: [...three, { id: 'b4', title: 'B4' }] }),
      ),
    ).toThrow('1 to 3 buttons, got 4');
    expect(() =>
      toGraphMessage(
        msg({ message_type: 'buttons', text: 'Pick', buttons: [{ id: 'a', title: 'x'.repeat(21) }] }),
      ),
    ).toThrow('button 1 title is 21 characters');
  });

  it('rejects texts over 4096 characters and empty texts', () => {
    expect(() => toGraphMessage(msg({ text: 'x'.repeat(4097) }))).toThrow(
      'text is 4097 characters; Meta allows 4096',
    );
    expect(() => toGraphMessage(msg({ text: '  ' }))).toThrow('text is empty');
  });

  it('builds templates with parameters and read receipts', () => {
    const template = {
      name: 'order_followup',
      language: 'en_US',
      components: [{ type: 'body' as const, parameters: [{ type: 'text', text: 'Jane' }] }],
    };
    expect(toGraphMessage(msg({ message_type: 'template', template }))).toEqual({
      type: 'template',
      template: {
        name: 'order_followup',
        language: { policy: 'deterministic', code: 'en_US' },
        components: template.components,
      },
    });
    expect(toGraphMessage(msg({ message_type: 'mark_as_read', context_message_id: 'wamid.9' }))).toEqual({
      type: 'mark_as_read',
      message_id: 'wamid.9',
    });
    const typing = msg({
      message_type: 'mark_as_read',
      context_message_id: 'wamid.9',
      typing_indicator: true,
    });
    expect(toGraphMessage(typing)).toEqual({
      type: 'mark_as_read',
      message_id: 'wamid.9',
      typing_indicator: true,
    });
    expect(() => toGraphMessage(msg({ message_type: 'template' }))).toThrow('template is required');
  });
});
