import type { MessageTemplateRecord, TemplateComponentDefinition } from '@wa-broker/shared/message-templates';
import { templateParameterSpec } from '@wa-broker/shared/template-definition-rules';
import { beforeEach, describe, expect, it } from 'vitest';
import { type FakeRouter, fakeRouter, testWabaId } from '../testing/handler-deps.js';

/**
 * Issue 19 §3: a template send Meta would refuse (whatsapp-cloud-api.md §5.5: 132000 / 132001; §7.3: 132015) is
 * refused by the router with the field that is wrong, and never reaches the Graph API.
 */
let r: FakeRouter;

const followUp: TemplateComponentDefinition[] = [
  { type: 'BODY', text: 'Hi {{1}}, any news about your order?', example: { body_text: [['Maria']] } },
];
const record = (overrides: Partial<MessageTemplateRecord> = {}): MessageTemplateRecord => ({
  id: '9001',
  waba_id: testWabaId,
  name: 'follow_up',
  language: 'en_US',
  category: 'UTILITY',
  status: 'APPROVED',
  quality: 'GREEN',
  reason: null,
  parameter_format: 'POSITIONAL',
  components: followUp,
  parameters: templateParameterSpec(followUp),
  updated_at: '2026-12-02T06:00:00.000Z',
  ...overrides,
});

beforeEach(() => {
  r = fakeRouter();
  r.store.users.set('phone-1:4915', {
    session: { state: 'agent', agentId: '1' },
    window: { lastInboundAt: new Date(r.clock.now.getTime() - 30 * 3_600_000), user: { wa_id: '4915' } },
  });
});

const send = (parameters: string[], key: string, name = 'follow_up') =>
  r.agentSays('1', {
    waID: '4915',
    message_type: 'template',
    template: {
      name,
      language: 'en_US',
      components: [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }],
    },
    idempotency_key: key,
  });

describe('template sends checked against the store', () => {
  it('sends a template that matches an approved one', async () => {
    r.templates.apply(record());
    expect(await send(['Maria'], 'k1')).toEqual([]);
    expect(r.graph.calls).toHaveLength(1);
  });

  it('refuses a wrong parameter count, an unknown and a paused template, with the field and Meta’s code', async () => {
    r.templates.apply(record());
    r.templates.apply(record({ id: '9002', name: 'winback', status: 'PAUSED', reason: 'low quality' }));
    expect(await send([], 'k1')).toMatchObject([
      {
        topic: '1-error',
        value: {
          code: 'template_invalid',
          problems: [
            { field: 'template.components[0].parameters', message: 'the body takes 1 parameter(s), 0 given' },
          ],
          meta_error: { code: 132000 },
          idempotency_key: 'k1',
        },
      },
    ]);
    expect(await send(['Maria'], 'k2', 'folow_up')).toMatchObject([
      { value: { code: 'template_invalid', meta_error: { code: 132001 } } },
    ]);
    expect(await send(['Maria'], 'k3', 'winback')).toMatchObject([
      {
        value: {
          code: 'template_invalid',
          meta_error: { code: 132015 },
          text: expect.stringContaining('paused'),
        },
      },
    ]);
    expect(r.graph.calls).toEqual([]);
  });

  it('leaves the decision to Meta for a WABA the store knows nothing of', async () => {
    expect(await send([], 'k1')).toEqual([]);
    expect(r.graph.calls).toHaveLength(1);
  });
});
