import type { MessageTemplateRecord } from '@wa-broker/shared/message-templates';
import type { TemplateReply } from '@wa-broker/shared/operator-protocol';
import { describe, expect, it } from 'vitest';
import { templateRecord } from '../../test/support/templates.js';
import type { TemplateCatalog } from './ports.js';
import { approvedTemplates, assertTemplateSendable } from './template-check.js';

const waba = '1000';
const catalogOf = (templates: MessageTemplateRecord[]): TemplateCatalog => ({
  wabaOf: (number) => (number === '111' ? waba : undefined),
  templatesOf: (wabaId) => templates.filter((template) => template.waba_id === wabaId),
});
const shipping = templateRecord({ name: 'shipping', waba_id: waba });
const reply = (fields: Partial<TemplateReply> = {}): TemplateReply => ({
  kind: 'template',
  name: 'shipping',
  language: 'en_US',
  header_parameters: ['#42'],
  body_parameters: ['Ana', 'Monday'],
  ...fields,
});
const refusal = (catalog: TemplateCatalog, sent: TemplateReply) => {
  try {
    assertTemplateSendable(sent, catalog, '111');
    return null;
  } catch (error) {
    return error as { code: string; details: { issues: { path: string; message: string }[] } };
  }
};

describe('template replies checked against the WABA’s templates', () => {
  it('lists only the approved templates of the number’s WABA, by name then language', () => {
    const catalog = catalogOf([
      templateRecord({ name: 'welcome', waba_id: waba, language: 'pt_BR' }),
      templateRecord({ name: 'welcome', waba_id: waba, language: 'en_US' }),
      templateRecord({ name: 'paused_one', waba_id: waba, status: 'PAUSED' }),
      templateRecord({ name: 'elsewhere', waba_id: '2000' }),
      shipping,
    ]);
    const listed = approvedTemplates(catalog, '111');
    expect(listed.wabaId).toBe(waba);
    expect(listed.templates.map((t) => `${t.name}/${t.language}`)).toEqual([
      'shipping/en_US',
      'welcome/en_US',
      'welcome/pt_BR',
    ]);
    expect(approvedTemplates(catalog, '999')).toEqual({ wabaId: null, templates: [] });
  });

  it('lets a complete reply through', () => {
    expect(refusal(catalogOf([shipping]), reply())).toBeNull();
  });

  it('refuses a missing body parameter by its field, with Meta’s reason', () => {
    const refused = refusal(catalogOf([shipping]), reply({ body_parameters: ['Ana'] }));
    expect(refused?.code).toBe('invalid_message');
    expect(refused?.details.issues).toEqual([
      { path: 'body_parameters', message: 'the body takes 2 parameter(s), 1 given' },
    ]);
  });

  it('refuses a missing header parameter and an unknown, paused or other-language template', () => {
    const paused = templateRecord({
      name: 'shipping',
      waba_id: waba,
      status: 'PAUSED',
      reason: 'low quality',
    });
    expect(
      refusal(catalogOf([shipping]), reply({ header_parameters: [] }))?.details.issues.map((i) => i.path),
    ).toEqual(['header_parameters']);
    expect(refusal(catalogOf([]), reply())?.details.issues[0]?.path).toBe('name');
    expect(refusal(catalogOf([paused]), reply())?.details.issues[0]?.message).toContain('paused');
    expect(refusal(catalogOf([shipping]), reply({ language: 'pt_BR' }))?.details.issues[0]?.path).toBe(
      'language',
    );
  });

  it('names the variables of a named template', () => {
    const named = templateRecord({
      name: 'named',
      waba_id: waba,
      parameter_format: 'NAMED',
      components: [{ type: 'BODY', text: 'Hi {{first_name}}, code {{code}}.' }],
    });
    const sent = reply({ name: 'named', header_parameters: undefined, body_parameters: ['Ana', '77'] });
    expect(refusal(catalogOf([named]), sent)?.details.issues[0]?.path).toBe('body_parameters[0]');
    const withNames = { ...sent, parameter_names: { body: ['first_name', 'code'] } };
    expect(refusal(catalogOf([named]), withNames)).toBeNull();
  });

  it('lets a complete media-header and button reply through, and refuses an incomplete one by field', () => {
    const receipt = templateRecord({
      name: 'receipt',
      waba_id: waba,
      components: [
        { type: 'HEADER', format: 'DOCUMENT', example: { header_handle: ['4::cGRm'] } },
        { type: 'BODY', text: 'Hi {{1}}, your receipt.' },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'QUICK_REPLY', text: 'Thanks' },
            { type: 'URL', text: 'Track', url: 'https://shop.example/t/{{1}}' },
            { type: 'COPY_CODE', text: 'Copy code' },
          ],
        },
      ],
    });
    const complete = reply({
      name: 'receipt',
      header_parameters: undefined,
      body_parameters: ['Ana'],
      header_media: { type: 'document', id: 'media-1', filename: 'receipt.pdf' },
      button_parameters: [
        { index: 1, text: '48213' },
        { index: 2, text: 'SAVE25', sub_type: 'copy_code' },
      ],
    });
    expect(refusal(catalogOf([receipt]), complete)).toBeNull();

    const { header_media: _file, ...noFile } = complete;
    const incomplete = { ...noFile, button_parameters: [] };
    expect(refusal(catalogOf([receipt]), incomplete)?.details.issues).toEqual([
      { path: 'header_media', message: 'the header takes 1 parameter(s), 0 given' },
      { path: 'button_parameters[0]', message: 'the button 1 takes 1 parameter(s), 0 given' },
      { path: 'button_parameters[1]', message: 'the button 2 takes 1 parameter(s), 0 given' },
    ]);
    const wrongKinds = {
      ...complete,
      header_media: { type: 'image' as const, id: 'media-2' },
      // The reply's own order: its first value is button 2's, given as a URL suffix instead of a coupon code.
      button_parameters: [
        { index: 2, text: 'SAVE25' },
        { index: 1, text: '48213' },
      ],
    };
    expect(refusal(catalogOf([receipt]), wrongKinds)?.details.issues).toEqual([
      { path: 'header_media', message: 'the header takes document, not image' },
      { path: 'button_parameters[0]', message: 'the button 2 takes coupon_code, not text' },
    ]);
  });

  it('checks nothing for a number the admin has not announced', () => {
    expect(() => assertTemplateSendable(reply(), catalogOf([]), '999')).not.toThrow();
    expect(() => assertTemplateSendable(reply(), catalogOf([]), undefined)).not.toThrow();
  });
});
