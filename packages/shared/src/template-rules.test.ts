import { describe, expect, it } from 'vitest';
import type { MessageTemplateRecord, TemplateComponentDefinition } from './message-templates.js';
import { isBillable } from './pricing.js';
import {
  checkTemplateDefinition,
  checkTemplateSend,
  templateErrorCodes,
  templateParameterSpec,
  variablesOf,
} from './template-rules.js';

// whatsapp-cloud-api.md §5.5 (send shape, 132000 / 132001 / 132012), §7.3 (132015), meta-2026-changes.md §1.3.
const orderUpdate: TemplateComponentDefinition[] = [
  { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['#48213'] } },
  {
    type: 'BODY',
    text: 'Hi {{1}}, your order {{2}} ships today.',
    example: { body_text: [['Jane', '#48213']] },
  },
  { type: 'FOOTER', text: 'Reply STOP to opt out' },
  {
    type: 'BUTTONS',
    buttons: [
      { type: 'QUICK_REPLY', text: 'Talk to us' },
      {
        type: 'URL',
        text: 'Track',
        url: 'https://shop.example/track/{{1}}',
        example: ['https://shop.example/track/48213'],
      },
    ],
  },
];

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

describe('template definitions (before the admin submits one)', () => {
  it('derives what a send must give: header and body variables, the URL button’s suffix', () => {
    expect(variablesOf('Hi {{1}}, {{2}} and {{1}} again')).toEqual(['1', '2']);
    expect(templateParameterSpec(orderUpdate)).toEqual({
      header: { format: 'TEXT', names: ['1'] },
      body: { names: ['1', '2'] },
      buttons: [{ index: 1, type: 'URL', names: ['1'] }],
    });
  });

  it('accepts a valid definition and refuses each broken rule by field', () => {
    expect(
      checkTemplateDefinition({
        name: 'order_update',
        language: 'en_US',
        category: 'UTILITY',
        components: orderUpdate,
      }),
    ).toEqual([]);
    const fields = (components: TemplateComponentDefinition[], extra = {}) =>
      checkTemplateDefinition({
        name: 'order_update',
        language: 'en_US',
        category: 'UTILITY',
        components,
        ...extra,
      }).map((problem) => problem.field);
    expect(fields(orderUpdate, { name: 'Order Update' })).toEqual(['name']);
    expect(fields(orderUpdate, { category: 'PROMO' })).toEqual(['category']);
    expect(
      fields([{ type: 'BODY', text: 'Hi {{1}}, order {{3}} ships.', example: { body_text: [['a', 'b']] } }]),
    ).toEqual(['components[0].text']);
    expect(fields([{ type: 'BODY', text: 'Hi {{1}}, it ships.' }])).toEqual(['components[0].example']);
    expect(fields([{ type: 'BODY', text: '{{1}} ships.', example: { body_text: [['a']] } }])).toEqual([
      'components[0].text',
    ]);
    expect(fields([{ type: 'BODY', text: 'x'.repeat(1025) }])).toEqual(['components[0].text']);
    expect(fields([{ type: 'FOOTER', text: 'no body' }])).toEqual(['components']);
    expect(
      fields([
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'Your photo' },
      ]),
    ).toEqual(['components[0].example.header_handle']);
    expect(
      fields([
        { type: 'BODY', text: 'Pick one' },
        {
          type: 'BUTTONS',
          buttons: Array.from({ length: 11 }, () => ({ type: 'QUICK_REPLY' as const, text: 'ok' })),
        },
      ]),
    ).toEqual(['components[1].buttons']);
  });

  it('takes named variables with their examples', () => {
    expect(
      checkTemplateDefinition({
        name: 'order_named',
        language: 'en_US',
        category: 'UTILITY',
        parameter_format: 'NAMED',
        components: [
          {
            type: 'BODY',
            text: 'Hi {{customer_name}}, order {{order_id}} ships.',
            example: {
              body_text_named_params: [
                { param_name: 'customer_name', example: 'Jane' },
                { param_name: 'order_id', example: '#1' },
              ],
            },
          },
        ],
      }),
    ).toEqual([]);
  });
});

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

describe('pricing (meta-2026-changes.md §1.3)', () => {
  it('bills regular messages and not the free types; falls back on the deprecated flag', () => {
    expect(isBillable({ pricing_model: 'PMP', category: 'service', type: 'regular' })).toBe(true);
    expect(isBillable({ pricing_model: 'PMP', category: 'service', type: 'free_customer_service' })).toBe(
      false,
    );
    expect(isBillable({ pricing_model: 'CBP', category: 'utility', billable: true })).toBe(true);
  });
});
