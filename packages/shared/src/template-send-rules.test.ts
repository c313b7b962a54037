import { describe, expect, it } from 'vitest';
import type { MessageTemplateRecord, TemplateComponentDefinition } from './message-templates.js';
import { templateParameterSpec } from './template-definition-rules.js';
import { orderUpdate } from './template-rules.fixtures.js';
import { checkTemplateSend, templateErrorCodes } from './template-send-rules.js';

// whatsapp-cloud-api.md §5.5 (send shape, 132000 / 132001 / 132012), §7.3 (132015).
const record = (overrides: Partial<MessageTemplateRecord> = {}): MessageTemplateRecord => ({
  id: '1001',
  waba_id: '102290129340398',
  name: 'order_update',
  language: 'en_US',
  category: 'UTILITY',
  status: 'APPROVED',
  quality: 'GREEN',
  reason: null,
  parameter_format: 'POSITIONAL',
  components: orderUpdate,
  parameters: templateParameterSpec(orderUpdate),
  updated_at: '2026-12-02T06:00:00.000Z',
  ...overrides,
});

const text = (value: string) => ({ type: 'text', text: value });
const goodSend = {
  name: 'order_update',
  language: 'en_US',
  components: [
    { type: 'header', parameters: [text('#48213')] },
    { type: 'body', parameters: [text('Jane'), text('#48213')] },
    { type: 'button', sub_type: 'url', index: '1', parameters: [text('48213')] },
  ],
};

describe('template sends (before anything reaches Meta)', () => {
  it('accepts a send that matches an approved template', () => {
    expect(checkTemplateSend(goodSend, [record()])).toEqual([]);
  });

  it('refuses an unknown template, another language, a paused or pending one, with Meta’s codes', () => {
    expect(checkTemplateSend(goodSend, [])).toEqual([
      expect.objectContaining({ field: 'template.name', metaCode: templateErrorCodes.doesNotExist }),
    ]);
    expect(
      checkTemplateSend({ ...goodSend, language: 'es' }, [record(), record({ language: 'pt_BR' })]),
    ).toEqual([
      expect.objectContaining({
        field: 'template.language',
        message: '"order_update" exists in en_US, pt_BR, not in es',
      }),
    ]);
    expect(checkTemplateSend(goodSend, [record({ status: 'PAUSED', reason: 'low quality' })])).toEqual([
      expect.objectContaining({
        metaCode: templateErrorCodes.paused,
        message: expect.stringContaining('paused (low quality)'),
      }),
    ]);
    expect(checkTemplateSend(goodSend, [record({ status: 'PENDING' })])[0]?.metaCode).toBe(
      templateErrorCodes.doesNotExist,
    );
  });

  it('refuses a wrong number or type of parameters, naming the component', () => {
    const missing = {
      ...goodSend,
      components: [
        goodSend.components[0],
        { type: 'body', parameters: [text('Jane')] },
        goodSend.components[2],
      ],
    };
    expect(checkTemplateSend(missing as typeof goodSend, [record()])).toEqual([
      {
        field: 'template.components[1].parameters',
        message: 'the body takes 2 parameter(s), 1 given',
        metaCode: templateErrorCodes.parameterCount,
      },
    ]);
    const noButton = { ...goodSend, components: goodSend.components.slice(0, 2) };
    expect(checkTemplateSend(noButton, [record()])[0]).toMatchObject({
      field: 'template.components',
      metaCode: templateErrorCodes.parameterCount,
    });
    const imageTemplate = record({
      components: [
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'Your receipt' },
      ],
      parameters: templateParameterSpec([
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'Your receipt' },
      ]),
    });
    expect(
      checkTemplateSend(
        {
          name: 'order_update',
          language: 'en_US',
          components: [{ type: 'header', parameters: [text('x')] }],
        },
        [imageTemplate],
      ),
    ).toEqual([
      expect.objectContaining({
        metaCode: templateErrorCodes.parameterFormat,
        message: 'the header takes image, not text',
      }),
    ]);
  });
});

describe('template sends with a media header and button values', () => {
  const coupon: TemplateComponentDefinition[] = [
    { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1n'] } },
    { type: 'BODY', text: 'Hi {{name}}, here is your code.', example: {} },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'URL', text: 'Shop', url: 'https://shop.example/{{1}}', example: ['https://shop.example/a'] },
        { type: 'COPY_CODE', example: ['SAVE25'] },
      ],
    },
  ];
  const couponTemplate = record({
    name: 'coupon',
    parameter_format: 'NAMED',
    components: coupon,
    parameters: templateParameterSpec(coupon),
  });
  const send = (buttons: object[]) => ({
    name: 'coupon',
    language: 'en_US',
    components: [
      { type: 'header', parameters: [{ type: 'image', image: { id: 'media-1' } }] },
      { type: 'body', parameters: [{ type: 'text', text: 'Ana', parameter_name: 'name' }] },
      ...buttons,
    ] as NonNullable<typeof goodSend.components>,
  });
  const url = { type: 'button', sub_type: 'url', index: '0', parameters: [text('a')] };

  it('accepts a URL suffix as text and a copy code as coupon_code, positional even in a named template', () => {
    const code = {
      type: 'button',
      sub_type: 'copy_code',
      index: '1',
      parameters: [{ type: 'coupon_code', coupon_code: 'SAVE25' }],
    };
    expect(checkTemplateSend(send([url, code]), [couponTemplate])).toEqual([]);
  });

  it('refuses a copy code given as text and a URL suffix given as anything else (132012)', () => {
    const asText = { type: 'button', sub_type: 'copy_code', index: '1', parameters: [text('SAVE25')] };
    const asPayload = { ...url, parameters: [{ type: 'payload', payload: 'a' }] };
    expect(checkTemplateSend(send([asPayload, asText]), [couponTemplate])).toEqual([
      {
        field: 'template.components[2].parameters[0].type',
        message: 'the button 0 takes text, not payload',
        metaCode: templateErrorCodes.parameterFormat,
      },
      {
        field: 'template.components[3].parameters[0].type',
        message: 'the button 1 takes coupon_code, not text',
        metaCode: templateErrorCodes.parameterFormat,
      },
    ]);
  });
});
