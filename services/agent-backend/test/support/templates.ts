import type { BusinessNumberRecord, NumberChangeEvent } from '@wa-broker/shared/business-numbers';
import type {
  MessageTemplateRecord,
  TemplateChangeEvent,
  TemplateComponentDefinition,
} from '@wa-broker/shared/message-templates';
import { templateParameterSpec } from '@wa-broker/shared/template-definition-rules';

const at = '2026-11-02T10:00:00.000Z';

/** A template record as the admin publishes it; `parameters` derived from the components as the admin does. */
export function templateRecord(
  fields: Partial<MessageTemplateRecord> & { name: string; waba_id: string },
): MessageTemplateRecord {
  const components: TemplateComponentDefinition[] = fields.components ?? [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
    { type: 'BODY', text: 'Hello {{1}}, your order ships on {{2}}.' },
    { type: 'FOOTER', text: 'Reply STOP to opt out' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Thanks' }] },
  ];
  return {
    id: String(Math.floor(Math.random() * 1e12)),
    language: 'en_US',
    category: 'UTILITY',
    status: 'APPROVED',
    quality: 'GREEN',
    reason: null,
    parameter_format: 'POSITIONAL',
    updated_at: at,
    ...fields,
    components,
    parameters: templateParameterSpec(components),
  };
}

export const templateChange = (
  template: MessageTemplateRecord,
  type: TemplateChangeEvent['type'] = 'synced',
): TemplateChangeEvent => ({ v: 1, type, template, published_at: at });

export function numberChange(phoneNumberId: string, wabaId: string): NumberChangeEvent {
  const number: BusinessNumberRecord = {
    phone_number_id: phoneNumberId,
    waba_id: wabaId,
    display_phone_number: '+1 555-010-0000',
    name: `Number ${phoneNumberId}`,
    token: { source: 'secret', name: 'GRAPH_API_TOKEN' },
    throughput_tier: 'standard',
    agent_ids: null,
    active: true,
    created_at: at,
    updated_at: at,
  };
  return { v: 1, type: 'created', number, published_at: at };
}
