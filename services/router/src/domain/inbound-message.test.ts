import { describe, expect, it } from 'vitest';
import { metaItem } from '../testing/domain-fixtures.js';
import { toInboundMessage } from './inbound-message.js';

const receivedAt = new Date('2030-01-01T00:00:00Z');
const read = (file: string) => {
  const { item, contact } = metaItem(file);
  const message = toInboundMessage(item, contact, receivedAt);
  if (!message) throw new Error(`unreadable ${file}`);
  return message;
};

describe('toInboundMessage', () => {
  it("reads a text with Meta's timestamp, not the receiving time", () => {
    const message = read('inbound-text.json');
    expect(message).toMatchObject({
      type: 'text',
      text: 'Hi, I need help with my order #48213',
      userKey: '15550001111',
    });
    expect(message.sentAt.toISOString()).toBe('2025-10-24T10:00:00.000Z');
  });

  it('reads list and button replies with id and title', () => {
    expect(read('inbound-interactive-list-reply.json')).toMatchObject({
      type: 'list_reply',
      text: 'agent_sales',
      fields: { reply: { id: 'agent_sales', title: 'Sales', description: 'Quotes, pricing and new orders' } },
    });
    const button = read('inbound-interactive-button-reply.json');
    expect(button).toMatchObject({
      type: 'button_reply',
      fields: { reply: { id: 'switch_agent', title: 'Change department' } },
    });
    expect(button.fields.context?.message_id).toMatch(/^wamid\./);
  });

  it('reads media with id, mime type and caption', () => {
    expect(read('inbound-image.json')).toMatchObject({
      type: 'image',
      text: 'The box arrived damaged',
      fields: {
        media: { id: '1003383421387256', mime_type: 'image/jpeg', caption: 'The box arrived damaged' },
      },
    });
  });

  it('reads location, reactions and reaction removals', () => {
    expect(read('inbound-location.json').fields.location).toMatchObject({
      latitude: 37.44221496582,
      name: 'Philz Coffee',
    });
    expect(read('inbound-reaction.json').fields.reaction).toEqual({
      message_id: 'wamid.HBgLMTU1NTAwMDExMTEVAgARGBI4QzFFN0IzRDlBMkY2NEUwNUIA',
      emoji: '👍',
    });
    expect(read('inbound-reaction-removed.json').fields.reaction?.emoji).toBeUndefined();
  });

  // meta-2026-changes.md §1.8: coexistence edits (within 15 min) and revokes (within 2 days).
  it('reads an edit (the new text, the message it replaces) and a revoke', () => {
    const user = { user_id: 'US.1' };
    const edit = toInboundMessage(
      {
        id: 'wamid.e',
        timestamp: '1',
        type: 'edit',
        edit: { original_message_id: 'wamid.o', message: { type: 'text', text: { body: 'fixed' } } },
      },
      user,
      receivedAt,
    );
    expect(edit).toMatchObject({
      type: 'edit',
      text: 'fixed',
      userKey: 'US.1',
      fields: { original_message_id: 'wamid.o' },
    });
    const revoke = toInboundMessage(
      { id: 'wamid.r', timestamp: '1', type: 'revoke', revoke: { original_message_id: 'wamid.o' } },
      user,
      receivedAt,
    );
    expect(revoke).toMatchObject({ type: 'revoke', fields: { original_message_id: 'wamid.o' } });
    const broken = toInboundMessage({ id: 'wamid.b', type: 'edit', edit: {} }, user, receivedAt);
    expect(broken?.type).toBe('unsupported');
  });

  it('keeps unknown types as unsupported with the raw item', () => {
    const message = read('inbound-unsupported.json');
    expect(message.type).toBe('unsupported');
    expect(message.raw).toMatchObject({ unsupported: { type: 'poll_creation' } });
  });

  it('keys a user without wa_id by the business-scoped user_id', () => {
    const message = toInboundMessage(
      { id: 'wamid.1', type: 'text', text: { body: 'x' } },
      { user_id: 'BR.123' },
      receivedAt,
    );
    expect(message?.userKey).toBe('BR.123');
    expect(message?.sentAt).toEqual(receivedAt);
  });

  it('returns undefined for an item without id', () => {
    expect(toInboundMessage({ type: 'text' }, { wa_id: '1' }, receivedAt)).toBeUndefined();
  });
});
