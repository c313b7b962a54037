import { randomUUID } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import type { ClientFrame, ServerFrame, ServerFrameOf } from '@wa-broker/shared/operator-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundText } from './support/events.js';
import { createHarness, type Harness } from './support/harness.js';
import { connectOperator, frame, type OperatorClient } from './support/operator-client.js';
import { numberChange, templateChange, templateRecord } from './support/templates.js';
import { readTopic, type TopicReader } from './support/topic-reader.js';

let harness: Harness;
let operator: OperatorClient;
let out: TopicReader;
// The user's window is closed: only a template may be sent, as in the issue's end-to-end case.
const waID = '5511977770001';
const number = '106540352242922';
const waba = '102290129340398';
const otherWaba = '102290129340399';
const shipping = templateRecord({ name: 'order_shipped', waba_id: waba });
const welcome = templateRecord({
  name: 'welcome_back',
  waba_id: waba,
  language: 'pt_BR',
  category: 'MARKETING',
  components: [{ type: 'BODY', text: 'Olá de novo!' }],
});

beforeAll(async () => {
  harness = await createHarness();
  const { url } = await harness.startInstance();
  operator = await connectOperator(url);
  out = await readTopic(harness.kafka, harness.config.topics.out);
  await harness.produceNumber(numberChange(number, waba));
  await harness.produceNumber(numberChange('106540352242999', otherWaba));
  for (const template of [
    shipping,
    welcome,
    templateRecord({ name: 'still_in_review', waba_id: waba, status: 'PENDING' }),
    templateRecord({ name: 'other_account', waba_id: otherWaba }),
  ])
    await harness.produceTemplate(templateChange(template));
  await harness.produceInbound(
    inboundText(waID, 'old message', {
      phone_number_id: number,
      window_expires_at: new Date(Date.now() - 1000).toISOString(),
    }),
  );
  await eventually(async () => (await harness.db.collection('conversations').countDocuments()) === 1);
});

afterAll(async () => {
  operator?.close();
  await out?.close();
  await harness?.close();
});

type Reply = Extract<ClientFrame, { type: 'send_reply' }>['reply'];
const sendReply = (reply: Reply, key = randomUUID()) =>
  operator.request(frame({ type: 'send_reply', wa_id: waID, idempotency_key: key, reply }));
const listTemplates = async () =>
  (await operator.request(frame({ type: 'list_templates', wa_id: waID }))) as ServerFrameOf<'templates'>;
const namesOf = (answer: { templates: { name: string; language: string }[] }) =>
  answer.templates.map((template) => `${template.name}/${template.language}`);

describe('templates for the operator', () => {
  it('lists the approved templates of the conversation’s number, not other WABAs’ nor pending ones', async () => {
    // The topics are read live: wait until the last template announced has arrived.
    await eventually(async () => namesOf(await listTemplates()).length === 2);
    const answer = await listTemplates();
    expect(answer).toMatchObject({ type: 'templates', wa_id: waID, phone_number_id: number, waba_id: waba });
    expect(namesOf(answer)).toEqual(['order_shipped/en_US', 'welcome_back/pt_BR']);
    const listed = answer.templates[0];
    expect(listed).toMatchObject({ category: 'UTILITY', components: shipping.components });
    expect(listed?.parameters).toEqual({
      header: { format: 'TEXT', names: ['1'] },
      body: { names: ['1', '2'] },
      buttons: [],
    });
  });

  it('refuses a template with a missing parameter, a paused or unknown one, and publishes nothing', async () => {
    const missing = await sendReply({
      kind: 'template',
      name: 'order_shipped',
      language: 'en_US',
      header_parameters: ['#42'],
      body_parameters: ['Maria'],
    });
    expect(missing).toMatchObject({
      type: 'error',
      code: 'invalid_message',
      issues: [{ path: 'body_parameters', message: 'the body takes 2 parameter(s), 1 given' }],
    });
    const unknown = await sendReply({
      kind: 'template',
      name: 'no_such',
      language: 'en_US',
      body_parameters: [],
    });
    expect(unknown).toMatchObject({ type: 'error', code: 'invalid_message', issues: [{ path: 'name' }] });
    const pending = await sendReply({
      kind: 'template',
      name: 'still_in_review',
      language: 'en_US',
      header_parameters: ['#1'],
      body_parameters: ['a', 'b'],
    });
    expect(pending).toMatchObject({ type: 'error', code: 'invalid_message' });
    expect(JSON.stringify(pending)).toContain('only approved templates can be sent');

    // Pausing it: the open picker hears it without asking, and a send is refused with Meta's reason.
    const pushedBefore = operator.frames.length;
    await harness.produceTemplate(
      templateChange({ ...welcome, status: 'PAUSED', reason: 'low quality' }, 'status'),
    );
    const pushed = (await operator.waitForFrame(
      (each: ServerFrame) =>
        operator.frames.indexOf(each) >= pushedBefore &&
        each.type === 'templates' &&
        each.request_id === undefined &&
        each.phone_number_id === number,
      15_000,
    )) as ServerFrameOf<'templates'>;
    expect(namesOf(pushed)).toEqual(['order_shipped/en_US']);
    expect(namesOf(await listTemplates())).toEqual(['order_shipped/en_US']);
    const paused = await sendReply({
      kind: 'template',
      name: 'welcome_back',
      language: 'pt_BR',
      body_parameters: [],
    });
    expect(paused).toMatchObject({ type: 'error', code: 'invalid_message', issues: [{ path: 'name' }] });
    expect(JSON.stringify(paused)).toContain('paused (low quality)');

    // A valid one after them, on the same partition (keyed by the user): once it is read, the refused ones
    // would have been read before it.
    const key = randomUUID();
    const accepted = await sendReply(
      {
        kind: 'template',
        name: 'order_shipped',
        language: 'en_US',
        header_parameters: ['#42'],
        body_parameters: ['Maria', 'Monday'],
      },
      key,
    );
    expect(accepted.type).toBe('reply_accepted');
    const published = await out.waitFor<AgentOutboundMessage>((value) => value.idempotency_key === key);
    expect(published.template).toEqual({
      name: 'order_shipped',
      language: 'en_US',
      components: [
        { type: 'header', parameters: [{ type: 'text', text: '#42' }] },
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Maria' },
            { type: 'text', text: 'Monday' },
          ],
        },
      ],
    });
    expect(out.values).toHaveLength(1);
    const stored = await harness.db.collection('messages').countDocuments({ wa_id: waID, direction: 'out' });
    expect(stored).toBe(1);
  });

  it('sends a media-header template with its buttons’ values, and refuses one missing them by field', async () => {
    const receipt = templateRecord({
      name: 'receipt_ready',
      waba_id: waba,
      components: [
        { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1n'] } },
        { type: 'BODY', text: 'Hi {{1}}, your receipt is ready.' },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'URL', text: 'Track', url: 'https://shop.example/t/{{1}}' },
            { type: 'COPY_CODE', text: 'Copy code' },
          ],
        },
      ],
    });
    await harness.produceTemplate(templateChange(receipt));
    await eventually(async () => namesOf(await listTemplates()).includes('receipt_ready/en_US'));
    const listed = (await listTemplates()).templates.find((each) => each.name === 'receipt_ready');
    expect(listed?.parameters).toEqual({
      header: { format: 'IMAGE', names: [] },
      body: { names: ['1'] },
      buttons: [
        { index: 0, type: 'URL', names: ['1'] },
        { index: 1, type: 'COPY_CODE', names: ['code'] },
      ],
    });

    const incomplete = await sendReply({
      kind: 'template',
      name: 'receipt_ready',
      language: 'en_US',
      body_parameters: ['Maria'],
      button_parameters: [{ index: 1, text: 'SAVE25', sub_type: 'copy_code' }],
    });
    expect(incomplete).toMatchObject({
      type: 'error',
      code: 'invalid_message',
      issues: [
        { path: 'header_media', message: 'the header takes 1 parameter(s), 0 given' },
        { path: 'button_parameters[0]', message: 'the button 0 takes 1 parameter(s), 0 given' },
      ],
    });

    const key = randomUUID();
    const accepted = await sendReply(
      {
        kind: 'template',
        name: 'receipt_ready',
        language: 'en_US',
        body_parameters: ['Maria'],
        header_media: { type: 'image', id: 'media-receipt-1' },
        button_parameters: [
          { index: 0, text: '48213' },
          { index: 1, text: 'SAVE25', sub_type: 'copy_code' },
        ],
      },
      key,
    );
    expect(accepted.type).toBe('reply_accepted');
    const published = await out.waitFor<AgentOutboundMessage>((value) => value.idempotency_key === key);
    expect(published.template?.components).toEqual([
      { type: 'header', parameters: [{ type: 'image', image: { id: 'media-receipt-1' } }] },
      { type: 'body', parameters: [{ type: 'text', text: 'Maria' }] },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '48213' }] },
      {
        type: 'button',
        sub_type: 'copy_code',
        index: '1',
        parameters: [{ type: 'coupon_code', coupon_code: 'SAVE25' }],
      },
    ]);
  });
});
