import { describe, expect, it } from 'vitest';
import { TemplateRegistry } from './template-registry.js';
import { checkTemplateSendAtMeta } from './template-send.js';

const registry = new TemplateRegistry(['1']);
registry.reset(
  [
    {
      name: 'greeting',
      language: 'en_US',
      category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['#1'] } },
        { type: 'BODY', text: 'Hi {{1}}, {{2}} is ready.', example: { body_text: [['Jane', 'it']] } },
      ],
    },
  ],
  new Date(),
);
const known = registry.named('1', 'greeting');

// whatsapp-cloud-api.md §5.5: parameters by component, positional in order; a mismatch is 132000.
describe('checkTemplateSendAtMeta', () => {
  it('fills header and body parameters in, currency and dates by their fallback value', () => {
    const checked = checkTemplateSendAtMeta(
      {
        name: 'greeting',
        language: { code: 'en_US' },
        components: [
          { type: 'header', parameters: [{ type: 'text', text: '#7' }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ana' },
              { type: 'currency', currency: { fallback_value: '$10.00', code: 'USD', amount_1000: 10000 } },
            ],
          },
        ],
      },
      known,
    );
    expect(checked.ok && checked.rendered).toEqual({ header: 'Order #7', body: 'Hi Ana, $10.00 is ready.' });
  });

  it("answers the first problem's code, with every problem in the details", () => {
    const checked = checkTemplateSendAtMeta({ name: 'greeting', language: { code: 'en_US' } }, known);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.error.code).toBe(132000);
    expect(checked.error.details).toContain('header');
    expect(checked.error.details).toContain('body');
  });
});
