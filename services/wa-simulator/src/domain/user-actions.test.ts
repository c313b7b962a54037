import { describe, expect, it } from 'vitest';
import { inboundMessageItem, systemMessageItem } from './user-actions.js';

const number = {
  wabaId: '102290129340398',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '15550009999',
};
const jane = { waId: '15550001111', userId: 'US.13491208655302741918', countryCode: 'US', name: 'Jane' };
const at = new Date('2026-11-23T12:00:00Z');

describe('inboundMessageItem', () => {
  // whatsapp-cloud-api.md §3.3 (fixture inbound-interactive-list-reply.json): context.from is the business number.
  it("builds Meta's interactive list_reply with the menu message as context", () => {
    expect(
      inboundMessageItem(number, jane, 'wamid.1', at, {
        type: 'list_reply',
        id: 'sales',
        title: 'Sales',
        context_message_id: 'wamid.menu',
      }),
    ).toEqual({
      from: '15550001111',
      from_user_id: 'US.13491208655302741918',
      id: 'wamid.1',
      timestamp: '1795435200',
      context: { from: '15550009999', id: 'wamid.menu' },
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { id: 'sales', title: 'Sales' } },
    });
  });

  it('omits the emoji of a removed reaction', () => {
    expect(
      inboundMessageItem(number, jane, 'wamid.2', at, { type: 'reaction', message_id: 'wamid.x' }).reaction,
    ).toEqual({ message_id: 'wamid.x' });
  });

  // meta-2026-changes.md §1.2: "`from` may be absent"; `from_user_id` is always there.
  it('leaves `from` out for a username-only user and names them by from_user_id', () => {
    const hidden = { userId: 'SG.11815799212886844830', countryCode: 'SG', name: 'Mei', username: 'mei' };
    const item = inboundMessageItem(number, hidden, 'wamid.3', at, { type: 'text', text: 'hi' });
    expect(item).not.toHaveProperty('from');
    expect(item).toMatchObject({ from_user_id: 'SG.11815799212886844830', text: { body: 'hi' } });
  });
});

describe('systemMessageItem (meta-2026-changes.md §1.2, system message row)', () => {
  it('reports a number change with the new wa_id, the new user_id and the previous_user_id', () => {
    const after = { ...jane, waId: '15550002222', userId: 'US.99999999999999999999' };
    expect(systemMessageItem({ type: 'user_changed_number', before: jane, after }, 'wamid.s', at)).toEqual({
      from: '15550001111',
      from_user_id: 'US.13491208655302741918',
      id: 'wamid.s',
      timestamp: '1795435200',
      type: 'system',
      system: {
        body: 'User Jane changed from 15550001111 to 15550002222',
        wa_id: '15550002222',
        type: 'user_changed_number',
        user_id: 'US.99999999999999999999',
        previous_user_id: 'US.13491208655302741918',
      },
    });
  });

  it('reports a new BSUID with previous_user_id and no wa_id', () => {
    const after = { ...jane, userId: 'US.88888888888888888888' };
    const item = systemMessageItem({ type: 'user_changed_user_id', before: jane, after }, 'wamid.t', at);
    expect(item.system).toEqual({
      body: 'User Jane changed from US.13491208655302741918 to US.88888888888888888888',
      type: 'user_changed_user_id',
      user_id: 'US.88888888888888888888',
      previous_user_id: 'US.13491208655302741918',
    });
  });
});
