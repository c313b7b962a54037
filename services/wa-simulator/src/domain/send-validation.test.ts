import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateSendRequest } from './send-validation.js';

const fixture = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../../../shared/fixtures/meta/send/${name}`, import.meta.url), 'utf8'),
  );

describe('validateSendRequest', () => {
  it.each([
    'text.json',
    'text-reply-with-context.json',
    'interactive-list.json',
    'interactive-buttons.json',
    'template.json',
    'template-named-params.json',
    'mark-as-read.json',
  ])("accepts Meta's example %s", (name) => {
    expect(validateSendRequest(fixture(name))).toMatchObject({ ok: true });
  });

  it('reads a context reply and marks templates as allowed outside the window', () => {
    const reply = validateSendRequest(fixture('text-reply-with-context.json'));
    expect(reply.ok && reply.request.kind === 'message' && reply.request.contextMessageId).toMatch(
      /^wamid\./,
    );
    const template = validateSendRequest(fixture('template.json'));
    expect(template.ok && template.request.kind === 'message' && template.request.needsOpenWindow).toBe(
      false,
    );
  });

  it('keeps biz_opaque_callback_data up to 512 characters and refuses more, or a non-string, with #100', () => {
    const text = fixture('text.json');
    const kept = validateSendRequest({ ...text, biz_opaque_callback_data: 'x'.repeat(512) });
    expect(kept.ok && kept.request.kind === 'message' && kept.request.bizOpaqueCallbackData).toHaveLength(
      512,
    );
    const tooLong = validateSendRequest({ ...text, biz_opaque_callback_data: 'x'.repeat(513) });
    expect(tooLong).toMatchObject({
      ok: false,
      error: {
        httpStatus: 400,
        code: 100,
        details: 'Param biz_opaque_callback_data must be at most 512 characters long.',
      },
    });
    expect(validateSendRequest({ ...text, biz_opaque_callback_data: 42 })).toMatchObject({
      ok: false,
      error: { code: 100 },
    });
  });

  it('refuses a list with 11 rows, a row title over 24 characters and duplicate row ids', () => {
    const list = fixture('interactive-list.json');
    const rows = Array.from({ length: 11 }, (_, index) => ({ id: `r${index}`, title: `Row ${index}` }));
    const tooMany = validateSendRequest({
      ...list,
      interactive: { ...list.interactive, action: { button: 'Pick', sections: [{ title: 'All', rows }] } },
    });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 131009 } });
    const longTitle = validateSendRequest({
      ...list,
      interactive: {
        ...list.interactive,
        action: { button: 'Pick', sections: [{ title: 'A', rows: [{ id: 'a', title: 'x'.repeat(25) }] }] },
      },
    });
    expect(longTitle).toMatchObject({
      ok: false,
      error: { code: 131009, details: expect.stringContaining('row.title') },
    });
    const duplicate = validateSendRequest({
      ...list,
      interactive: {
        ...list.interactive,
        action: {
          button: 'Pick',
          sections: [
            {
              title: 'A',
              rows: [
                { id: 'a', title: 'A' },
                { id: 'a', title: 'B' },
              ],
            },
          ],
        },
      },
    });
    expect(duplicate).toMatchObject({ ok: false, error: { code: 131009 } });
  });

  it('refuses four reply buttons and a button title over 20 characters', () => {
    const buttons = fixture('interactive-buttons.json');
    const four = [
      ...buttons.interactive.action.buttons,
      { type: 'reply', reply: { id: 'x', title: 'Fourth' } },
    ];
    expect(
      validateSendRequest({ ...buttons, interactive: { ...buttons.interactive, action: { buttons: four } } }),
    ).toMatchObject({ ok: false });
    const long = [{ type: 'reply', reply: { id: 'x', title: 'y'.repeat(21) } }];
    expect(
      validateSendRequest({ ...buttons, interactive: { ...buttons.interactive, action: { buttons: long } } }),
    ).toMatchObject({ ok: false, error: { code: 131009 } });
  });

  it('requires messaging_product, a recipient and the type object', () => {
    expect(validateSendRequest({ to: '1', type: 'text', text: { body: 'x' } })).toMatchObject({
      ok: false,
      error: { code: 131008 },
    });
    expect(
      validateSendRequest({ messaging_product: 'whatsapp', type: 'text', text: { body: 'x' } }),
    ).toMatchObject({ ok: false, error: { code: 131008 } });
    expect(validateSendRequest({ messaging_product: 'whatsapp', to: '1', type: 'text' })).toMatchObject({
      ok: false,
      error: { code: 131008 },
    });
    expect(
      validateSendRequest({ messaging_product: 'whatsapp', to: '1', type: 'fax', fax: {} }),
    ).toMatchObject({ ok: false, error: { code: 131009 } });
  });

  // meta-2026-changes.md §1.2 (send request row): `recipient` carries a BSUID, never normalised; `to` wins.
  it('accepts a business-scoped user in `recipient`, keeps `to` when both are set, refuses a non-BSUID', () => {
    const text = { messaging_product: 'whatsapp', type: 'text', text: { body: 'hi' } };
    const byId = validateSendRequest({ ...text, recipient: 'BR.1234' });
    expect(byId.ok && byId.request.kind === 'message' && byId.request.to).toEqual({
      kind: 'bsuid',
      input: 'BR.1234',
      userId: 'BR.1234',
    });
    const both = validateSendRequest({ ...text, to: '+55 11 91234-5678', recipient: 'BR.1234' });
    expect(both.ok && both.request.kind === 'message' && both.request.to).toEqual({
      kind: 'phone',
      input: '+55 11 91234-5678',
      waId: '5511912345678',
    });
    expect(validateSendRequest({ ...text, recipient: '5511912345678' })).toMatchObject({
      ok: false,
      error: { code: 100 },
    });
  });
});
