import { eventually } from '@wa-broker/infra/poll';
import { testKafkaSecurity, testStackEnv } from '@wa-broker/infra/test-env';
import { ensureTopics } from '@wa-broker/shared/kafka';
import type { MessageTemplateRecord, TemplateChangeEvent } from '@wa-broker/shared/message-templates';
import { templateKey } from '@wa-broker/shared/message-templates';
import { templateParameterSpec } from '@wa-broker/shared/template-definition-rules';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startTestNotify, testConfig } from './support/notify.js';

// Issue 19 §3: a notification whose template Meta would refuse (whatsapp-cloud-api.md §5.5: 132000 / 132001;
// §7.3: 132015 paused) gets a field-level 400 and nothing is queued; templates come from the admin's store on
// template-changes, live.
const wabaId = '102290129340398';
const config = testConfig({ NOTIFICATIONS_WABA_ID: wabaId });
const kafka = new Kafka({
  ...testKafkaSecurity(),
  brokers: [testStackEnv().KAFKA_BROKERS],
  logLevel: logLevel.NOTHING,
});
const producer = kafka.producer();
let notify: Awaited<ReturnType<typeof startTestNotify>>;

const body = [
  {
    type: 'BODY' as const,
    text: 'Hi {{1}}, order {{2}} has shipped.',
    example: { body_text: [['Jane', '#1']] },
  },
];
const shippedRecord = (status: MessageTemplateRecord['status'] = 'APPROVED'): MessageTemplateRecord => ({
  id: '7001',
  waba_id: wabaId,
  name: 'order_shipped',
  language: 'en_US',
  category: 'UTILITY',
  status,
  quality: status === 'PAUSED' ? 'RED' : 'GREEN',
  reason: status === 'PAUSED' ? 'low quality' : null,
  parameter_format: 'POSITIONAL',
  components: body,
  parameters: templateParameterSpec(body),
  updated_at: new Date().toISOString(),
});

async function publish(template: MessageTemplateRecord) {
  const event: TemplateChangeEvent = {
    v: 1,
    type: 'status',
    template,
    published_at: new Date().toISOString(),
  };
  await producer.send({
    topic: config.TEMPLATE_CHANGES_TOPIC,
    messages: [{ key: templateKey(template), value: JSON.stringify(event) }],
  });
}

beforeAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(
    admin,
    [{ topic: config.TEMPLATE_CHANGES_TOPIC, configs: { 'cleanup.policy': 'compact' } }],
    {
      replicationFactor: 1,
    },
  );
  await admin.disconnect();
  await producer.connect();
  await publish(shippedRecord());
  notify = await startTestNotify(config);
}, 60_000);

afterAll(async () => {
  await producer.disconnect();
  await notify?.close();
});

const post = (payload: object) =>
  notify.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: auth, payload });
const send = (name: string, bodies: string[][]) => ({
  template: { name, language: 'en_US' },
  recipients: bodies.map((parameters, i) => ({
    to: `+1555000${2000 + i}`,
    parameters: { body: parameters },
  })),
});

describe('notifications checked against the template store', () => {
  it('accepts what matches the approved template and refuses a missing parameter by recipient', async () => {
    expect((await post(send('order_shipped', [['Jane', '#48213']]))).statusCode).toBe(201);
    const refused = await post(send('order_shipped', [['Jane', '#1'], ['Bob']]));
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      error: 'invalid_template',
      fields: [{ field: 'recipients.1.parameters.body', message: 'the body takes 2 parameter(s), 1 given' }],
    });
  });

  it('refuses an unknown template and one paused since start, naming the template', async () => {
    const unknown = await post(send('order_shiped', [['Jane', '#1']]));
    expect(unknown.json()).toMatchObject({ error: 'invalid_template', fields: [{ field: 'template.name' }] });
    await publish(shippedRecord('PAUSED'));
    const paused = await eventually(
      async () => {
        const answer = await post(send('order_shipped', [['Jane', '#1']]));
        return answer.statusCode === 400 ? answer : undefined;
      },
      { what: 'the pause to reach notify' },
    );
    expect(paused.json().fields).toEqual([
      { field: 'template.name', message: expect.stringContaining('is paused (low quality)') },
    ]);
  });
});
