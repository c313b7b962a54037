import type { TemplateComponentDefinition } from './message-templates.js';

/** A definition with every part the rules read: header and body variables, a URL button with a variable. */
export const orderUpdate: TemplateComponentDefinition[] = [
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
