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

  // whatsapp-cloud-api.md §3.2 (fixture inbound-image.json) and §8 item 1: the same object under each type's key.
  it("puts Meta's media object under the type's key, each optional field only where that type has it", () => {
    const base = { media_id: '1003383421387256', sha256: 'SfInY0gG=', url: 'http://sim/m?x' };
    const item = (action: Parameters<typeof inboundMessageItem>[4]) =>
      inboundMessageItem(number, jane, 'wamid.m', at, action);
    expect(item({ ...base, type: 'image', mime_type: 'image/jpeg', caption: 'box' })).toMatchObject({
      type: 'image',
      image: {
        caption: 'box',
        mime_type: 'image/jpeg',
        sha256: 'SfInY0gG=',
        id: base.media_id,
        url: base.url,
      },
    });
    expect(
      item({ ...base, type: 'audio', mime_type: 'audio/ogg; codecs=opus', voice: true, caption: 'no' }),
    ).toEqual(
      expect.objectContaining({
        audio: {
          mime_type: 'audio/ogg; codecs=opus',
          sha256: 'SfInY0gG=',
          id: base.media_id,
          url: base.url,
          voice: true,
        },
      }),
    );
    expect(
      item({ ...base, type: 'document', mime_type: 'application/pdf', filename: 'a.pdf' }).document,
    ).toMatchObject({ filename: 'a.pdf' });
    expect(item({ ...base, type: 'sticker', mime_type: 'image/webp' }).sticker).toMatchObject({
      animated: false,
    });
    expect(
      item({ ...base, type: 'video', mime_type: 'video/mp4', filename: 'x.mp4' }).video,
    ).not.toHaveProperty('filename');
  });

  // business-phone-numbers/media, "Media message download constraints": 131052 with that title.
  it('reports a file above 100 MB as an unsupported message with error 131052', () => {
    expect(
      inboundMessageItem(number, jane, 'wamid.big', at, { type: 'media_too_large', media_type: 'video' }),
    ).toMatchObject({
      type: 'unsupported',
      errors: [
        {
          code: 131052,
          title: expect.stringMatching(
            /^Media file size too big\. Max file size we currently support: 100MB\./,
          ),
        },
      ],
      unsupported: { type: 'video' },
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
