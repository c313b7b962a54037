import { eventually } from '@wa-broker/infra/poll';
import { testKafkaAuth } from '@wa-broker/infra/test-env';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import type { BusinessNumberRecord } from '@wa-broker/shared/business-numbers';
import { type MessageTemplateRecord, templateKey } from '@wa-broker/shared/message-templates';
import { templateParameterSpec } from '@wa-broker/shared/template-definition-rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, createAgent, TemplateRefusedError } from '../src/index.js';
import { brokers, logger, testKafka } from './support/stack.js';

// Issue 19 §3: with `checkTemplates`, the SDK refuses at the call site, by field, a template send Meta would
// refuse (whatsapp-cloud-api.md §5.5: 132000 / 132001; §7.3: 132015), from the admin's store followed live.
const waba = '102290129340398';
const number = '106540352242922';
const body = [{ type: 'BODY' as const, text: 'Hi {{1}}, any news?', example: { body_text: [['Ana']] } }];
const followUp = (status: MessageTemplateRecord['status']): MessageTemplateRecord => ({
  id: '9001',
  waba_id: waba,
  name: 'follow_up',
  language: 'en_US',
  category: 'UTILITY',
  status,
  quality: 'GREEN',
  reason: status === 'PAUSED' ? 'low quality' : null,
  parameter_format: 'POSITIONAL',
  components: body,
  parameters: templateParameterSpec(body),
  updated_at: new Date().toISOString(),
});
const numberRecord: BusinessNumberRecord = {
  phone_number_id: number,
  waba_id: waba,
  display_phone_number: '+1 555 0101',
  name: 'Main line',
  token: { source: 'secret', name: 'GRAPH_API_TOKEN' },
  throughput_tier: 'standard',
  agent_ids: null,
  active: true,
  created_at: new Date().toISOString(),
  updated_at: new Date().toISOString(),
};

describe('template sends checked by the SDK', () => {
  let stack: Awaited<ReturnType<typeof testKafka>>;
  let agent: Agent;
  let out: AgentOutboundMessage[];
  let topics: { templates: string; numbers: string };

  beforeAll(async () => {
    stack = await testKafka();
    topics = {
      templates: `sdk-test_${stack.id}-template-changes`,
      numbers: `sdk-test_${stack.id}-number-changes`,
    };
    stack.track(topics.templates, topics.numbers);
    await stack.createTopics([topics.templates, topics.numbers]);
    await stack.produceRaw(topics.numbers, number, {
      v: 1,
      type: 'created',
      number: numberRecord,
      published_at: new Date().toISOString(),
    });
    await stack.produceRaw(topics.templates, templateKey(followUp('APPROVED')), {
      v: 1,
      type: 'synced',
      template: followUp('APPROVED'),
      published_at: new Date().toISOString(),
    });
    agent = createAgent({
      agent: stack.agentName,
      brokers,
      auth: testKafkaAuth(),
      topics: stack.topics,
      logger,
      checkTemplates: { templateChangesTopic: topics.templates, numberChangesTopic: topics.numbers },
    });
    await agent.start();
    out = await stack.read<AgentOutboundMessage>(stack.topics.out);
  });

  afterAll(async () => {
    await agent?.stop();
    await stack?.close();
  });

  const send = (parameters: string[], name = 'follow_up', key?: string) =>
    agent.send.template(
      '15550003333',
      {
        name,
        language: 'en_US',
        components: [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }],
      },
      { phoneNumberId: number, ...(key ? { idempotencyKey: key } : {}) },
    );

  it('refuses a wrong parameter count and an unknown name at the call site, producing nothing', async () => {
    const missing = await send([]).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(TemplateRefusedError);
    expect((missing as TemplateRefusedError).problems).toEqual([
      {
        field: 'template.components[0].parameters',
        message: 'the body takes 1 parameter(s), 0 given',
        metaCode: 132000,
      },
    ]);
    await expect(send(['Ana'], 'folow_up')).rejects.toThrow(/no template named "folow_up"/);
    await send(['Ana'], 'follow_up', 'valid-1');
    await eventually(() => out.some((m) => m.idempotency_key === 'valid-1'), {
      what: 'the valid send on -out',
    });
    expect(out.map((m) => m.idempotency_key)).toEqual(['valid-1']);
  });

  it('follows the store live: a template paused since start is refused, with the reason', async () => {
    await stack.produceRaw(topics.templates, templateKey(followUp('PAUSED')), {
      v: 1,
      type: 'status',
      template: followUp('PAUSED'),
      published_at: new Date().toISOString(),
    });
    const refused = await eventually(
      async () => {
        const error = await send(['Ana']).then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        return error instanceof TemplateRefusedError ? error : undefined;
      },
      { what: 'the pause to reach the SDK' },
    );
    expect(refused.problems[0]).toMatchObject({
      metaCode: 132015,
      message: expect.stringContaining('paused (low quality)'),
    });
  });
});
