import type { TemplateComponentDefinition } from '@wa-broker/shared/message-templates';
import type {
  OperatorConversation,
  OperatorMessage,
  OperatorTemplate,
} from '@wa-broker/shared/operator-protocol';
import { templateParameterSpec } from '@wa-broker/shared/template-definition-rules';

export const now = new Date('2026-01-10T12:00:00Z');

export function message(overrides: Partial<OperatorMessage> = {}): OperatorMessage {
  return {
    id: 'm1',
    wa_id: '5511',
    direction: 'in',
    type: 'text',
    text: 'Hello',
    timestamp: '2026-01-10T11:00:00.000Z',
    ...overrides,
  };
}

export function conversation(overrides: Partial<OperatorConversation> = {}): OperatorConversation {
  return {
    wa_id: '5511',
    name: 'Ana',
    last_message: message(),
    last_activity_at: '2026-01-10T11:00:00.000Z',
    unread_count: 0,
    window_expires_at: '2026-01-11T11:00:00.000Z',
    session: 'open',
    assignee: null,
    assigned_at: null,
    status: 'open',
    ...overrides,
  };
}

/** An approved template as `list_templates` answers it; `parameters` derived from the components as the admin does. */
export function template(
  fields: Partial<OperatorTemplate> & { name: string; components?: TemplateComponentDefinition[] },
): OperatorTemplate {
  const components = fields.components ?? [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
    { type: 'BODY', text: 'Hello {{1}}, your order ships on {{2}}.' },
    { type: 'FOOTER', text: 'Reply STOP to opt out' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Thanks' }] },
  ];
  return {
    id: '900001',
    language: 'en_US',
    category: 'UTILITY',
    status: 'APPROVED',
    quality: 'GREEN',
    parameter_format: 'POSITIONAL',
    ...fields,
    components,
    parameters: templateParameterSpec(components),
  };
}
