import { describe, expect, it } from 'vitest';
import type { TemplateComponentDefinition } from './message-templates.js';
import { checkTemplateDefinition, templateParameterSpec, variablesOf } from './template-definition-rules.js';
import { orderUpdate } from './template-rules.fixtures.js';

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
