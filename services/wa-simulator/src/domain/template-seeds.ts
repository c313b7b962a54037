import type { TemplateStatus } from '@wa-broker/shared/message-templates';
import type { TemplateDefinition } from './template-registry.js';

export type TemplateSeed = TemplateDefinition & { status?: TemplateStatus };

const body = (text: string, examples?: string[]) => ({
  type: 'BODY' as const,
  text,
  ...(examples ? { example: { body_text: [examples] } } : {}),
});

/**
 * What every WABA starts with (`SIM_TEMPLATES` replaces it), all approved: Meta's own `hello_world`, and the
 * templates the repo's tests and demo send, with the parameters they send (notify and its e2e tests:
 * `order_shipped` with two body parameters; the router's and the SDK's tests: `order_followup` and
 * `order_update` with none; the agent backend's and the inbox's: `follow_up` with one).
 */
export const defaultTemplateSeeds: readonly TemplateSeed[] = [
  {
    name: 'hello_world',
    language: 'en_US',
    category: 'UTILITY',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Hello World' },
      body(
        'Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us.',
      ),
      { type: 'FOOTER', text: 'WhatsApp Business Platform sample message' },
    ],
  },
  {
    name: 'order_shipped',
    language: 'en_US',
    category: 'UTILITY',
    components: [
      body('Hi {{1}}, your order {{2}} has shipped. We will tell you when it arrives.', ['Jane', '#48213']),
    ],
  },
  {
    name: 'order_followup',
    language: 'en_US',
    category: 'UTILITY',
    components: [body('There is news about your order. Reply to this message to continue the conversation.')],
  },
  {
    name: 'order_update',
    language: 'en_US',
    category: 'UTILITY',
    components: [body('Your order has been updated. Reply to this message to see the details.')],
  },
  {
    name: 'follow_up',
    language: 'en_US',
    category: 'UTILITY',
    components: [
      body('Hi {{1}}, we have an update on your request. Reply to this message to continue.', ['Maria']),
    ],
  },
];
