import { eventually } from '@wa-broker/infra/poll';
import { describe, expect, it } from 'vitest';
import { auth, number, simulatorForFile, waba } from './support/simulator.js';

// Template sends checked against the sending number's WABA (whatsapp-cloud-api.md §5.5: 132000 count, 132001
// unknown / not approved / another language, 132012 format; §7.3: 132015 paused), and `pricing` on statuses
// (meta-2026-changes.md §1.3).
const simulator = simulatorForFile({
  SIM_TEMPLATES: JSON.stringify([
    {
      name: 'order_shipped',
      language: 'en_US',
      category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1hZ2U='] } },
        {
          type: 'BODY',
          text: 'Hi {{1}}, order {{2}} has shipped.',
          example: { body_text: [['Jane', '#1']] },
        },
        { type: 'FOOTER', text: 'Reply STOP to opt out' },
      ],
    },
    {
      name: 'spring_sale',
      language: 'en_US',
      category: 'MARKETING',
      parameter_format: 'NAMED',
      components: [
        {
          type: 'BODY',
          text: 'Dear {{customer_name}}, our sale starts today.',
          example: { body_text_named_params: [{ param_name: 'customer_name', example: 'Jane' }] },
        },
      ],
    },
    {
      name: 'not_yet',
      language: 'en_US',
      category: 'UTILITY',
      status: 'PENDING',
      components: [{ type: 'BODY', text: 'Soon.' }],
    },
  ]),
});
const user = '15550004444';
const image = {
  type: 'header',
  parameters: [{ type: 'image', image: { link: 'https://example.com/a.jpg' } }],
};
const bodyOf = (...texts: string[]) => ({
  type: 'body',
  parameters: texts.map((text) => ({ type: 'text', text })),
});

const sendTemplate = (name: string, components: unknown[] = [], language = 'en_US') =>
  simulator.app.inject({
    method: 'POST',
    url: `/v21.0/${number}/messages`,
    headers: auth,
    payload: {
      messaging_product: 'whatsapp',
      to: user,
      type: 'template',
      template: { name, language: { code: language }, components },
    },
  });
const errorOf = async (
  response: Promise<{ statusCode: number; json: () => { error: { code: number; message: string } } }>,
) => {
  const answered = await response;
  return [answered.statusCode, answered.json().error?.code];
};

describe('template sends (issue 19 §6)', () => {
  it('accepts a template with its parameters and the phone shows it filled in', async () => {
    const sent = await sendTemplate('order_shipped', [image, bodyOf('Jane', '#48213')]);
    expect(sent.statusCode).toBe(200);
    const chat = (await simulator.app.inject({ method: 'GET', url: `/sim/users/${user}/messages` })).json();
    expect(chat.messages[0]).toMatchObject({
      type: 'template',
      template: { body: 'Hi Jane, order #48213 has shipped.', footer: 'Reply STOP to opt out' },
    });
    expect(chat.messages[0].template).not.toHaveProperty('header');
  });

  it('refuses each mismatch synchronously with Meta’s code, sending nothing', async () => {
    expect(await errorOf(sendTemplate('no_such_template'))).toEqual([400, 132001]);
    expect(await errorOf(sendTemplate('order_shipped', [image, bodyOf('Jane', '#1')], 'pt_BR'))).toEqual([
      400, 132001,
    ]);
    expect(await errorOf(sendTemplate('not_yet'))).toEqual([400, 132001]);
    expect(await errorOf(sendTemplate('order_shipped', [image, bodyOf('Jane')]))).toEqual([400, 132000]);
    const textHeader = { type: 'header', parameters: [{ type: 'text', text: 'x' }] };
    expect(await errorOf(sendTemplate('order_shipped', [textHeader, bodyOf('Jane', '#1')]))).toEqual([
      400, 132012,
    ]);
    const refused = await sendTemplate('order_shipped', [image, bodyOf('Jane')]);
    expect(refused.json().error).toMatchObject({
      message: '(#132000) Number of parameters does not match the expected number of params',
      type: 'OAuthException',
      error_data: {
        messaging_product: 'whatsapp',
        details: expect.stringContaining('the body takes 2 parameter(s), 1 given'),
      },
    });
    const named = {
      type: 'body',
      parameters: [{ type: 'text', parameter_name: 'customer_name', text: 'Ana' }],
    };
    expect((await sendTemplate('spring_sale', [named])).statusCode).toBe(200);
    await eventually(() => simulator.statuses().length === 3);
    expect(simulator.statuses().every((status) => status.status !== 'failed')).toBe(true);
  });

  it('refuses a paused template with 132015 and takes it again once approved', async () => {
    const { templates } = (
      await simulator.app.inject({ method: 'GET', url: `/sim/templates?waba_id=${waba}` })
    ).json();
    const sale = templates.find((t: { name: string }) => t.name === 'spring_sale');
    await simulator.app.inject({
      method: 'POST',
      url: `/sim/templates/${sale.id}/status`,
      payload: { status: 'PAUSED' },
    });
    const named = {
      type: 'body',
      parameters: [{ type: 'text', parameter_name: 'customer_name', text: 'Ana' }],
    };
    expect(await errorOf(sendTemplate('spring_sale', [named]))).toEqual([400, 132015]);
    await simulator.app.inject({
      method: 'POST',
      url: `/sim/templates/${sale.id}/status`,
      payload: { status: 'APPROVED' },
    });
    expect((await sendTemplate('spring_sale', [named])).statusCode).toBe(200);
  });

  // meta-2026-changes.md §1.3: since 2026-10-01 service replies are billed per message (`regular`).
  it("prices each status: the template's category, service for a reply, regular and billable", async () => {
    await simulator.userSays(user, 'hi');
    const reply = (await simulator.sendText(user, 'Hello Jane')).json().messages[0].id;
    const marketing = (
      await sendTemplate('spring_sale', [
        { type: 'body', parameters: [{ type: 'text', parameter_name: 'customer_name', text: 'Jane' }] },
      ])
    ).json().messages[0].id;
    await eventually(() => simulator.statuses().length === 6);
    const pricingOf = (wamid: string) =>
      simulator
        .statuses()
        .filter((status) => status.id === wamid)
        .map((status) => (status as unknown as { pricing: unknown }).pricing);
    const billed = (category: string) => ({
      billable: true,
      pricing_model: 'PMP',
      category,
      type: 'regular',
    });
    expect(pricingOf(reply)).toEqual([billed('service'), billed('service'), billed('service')]);
    expect(pricingOf(marketing)).toEqual([billed('marketing'), billed('marketing'), billed('marketing')]);
  });

  it('leaves pricing off a failed status (Meta does not charge it)', async () => {
    await simulator.userSays(user, 'hi');
    await simulator.app.inject({
      method: 'POST',
      url: `/sim/users/${user}/last-inbound`,
      payload: { at: new Date(Date.now() - 25 * 3_600_000).toISOString() },
    });
    expect((await simulator.sendText(user, 'too late')).statusCode).toBe(200);
    const failed = await eventually(() => simulator.statuses().find((status) => status.status === 'failed'));
    expect(failed).not.toHaveProperty('pricing');
  });
});

describe('pricing before 2026-10-01 (SIM_FREE_SERVICE_REPLIES)', () => {
  const before = simulatorForFile({ SIM_FREE_SERVICE_REPLIES: 'true' });

  it('makes an in-window reply free_customer_service and not billable', async () => {
    await before.userSays(user, 'hi');
    expect((await before.sendText(user, 'Hello')).statusCode).toBe(200);
    await eventually(() => before.statuses().length === 3);
    for (const status of before.statuses())
      expect((status as unknown as { pricing: unknown }).pricing).toEqual({
        billable: false,
        pricing_model: 'PMP',
        category: 'service',
        type: 'free_customer_service',
      });
  });
});
