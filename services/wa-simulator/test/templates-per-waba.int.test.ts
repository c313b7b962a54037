import { eventually } from '@wa-broker/infra/poll';
import { describe, expect, it } from 'vitest';
import { auth, number as numberA, simulatorForFile, waba } from './support/simulator.js';

// Issue 19 §6 with issue 17 §2's numbers: templates belong to a WABA (whatsapp-cloud-api.md §5.5: a template
// the sending number's WABA does not have is 132001), and the WABA's endpoints take its numbers' tokens.
const numberB = '106540352242923';
const wabaB = '102290129340399';
const authB = { authorization: 'Bearer sim_test_token_b' };
const simulator = simulatorForFile({
  SIM_EXTRA_NUMBERS: JSON.stringify([
    {
      phone_number_id: numberB,
      display_phone_number: '15550008888',
      waba_id: wabaB,
      token: 'sim_test_token_b',
    },
  ]),
  SIM_TEMPLATE_REVIEW_MS: '50',
});
const definition = {
  name: 'only_in_b',
  language: 'en_US',
  category: 'MARKETING',
  components: [{ type: 'BODY', text: 'News for you this week.' }],
};
const sendFrom = (phoneNumberId: string, headers: Record<string, string>) =>
  simulator.app.inject({
    method: 'POST',
    url: `/v21.0/${phoneNumberId}/messages`,
    headers,
    payload: {
      messaging_product: 'whatsapp',
      to: '15550001111',
      type: 'template',
      template: { name: 'only_in_b', language: { code: 'en_US' } },
    },
  });

describe('templates per WABA', () => {
  it("keeps each WABA's templates apart, its webhooks in its entry, and takes only its numbers' tokens", async () => {
    const denied = await simulator.app.inject({
      method: 'POST',
      url: `/v21.0/${wabaB}/message_templates`,
      headers: auth,
      payload: definition,
    });
    expect([denied.statusCode, denied.json().error.code]).toEqual([401, 190]);
    const created = await simulator.app.inject({
      method: 'POST',
      url: `/v21.0/${wabaB}/message_templates`,
      headers: authB,
      payload: definition,
    });
    expect(created.json()).toMatchObject({ status: 'PENDING', category: 'MARKETING' });
    const approved = await eventually(() =>
      simulator.received
        .flatMap((post) => post.body.entry as { id: string; changes: { field: string }[] }[])
        .find((entry) => entry.changes.some((change) => change.field === 'message_template_status_update')),
    );
    expect(approved.id).toBe(wabaB);

    expect((await sendFrom(numberB, authB)).statusCode).toBe(200);
    const fromA = await sendFrom(numberA, auth);
    expect([fromA.statusCode, fromA.json().error.code]).toEqual([400, 132001]);
    const listA = await simulator.app.inject({
      method: 'GET',
      url: `/${waba}/message_templates?name=only_in_b`,
      headers: auth,
    });
    expect(listA.json()).toEqual({ data: [] });
    // Both WABAs start with the seeds.
    const listB = await simulator.app.inject({
      method: 'GET',
      url: `/${wabaB}/message_templates?name=hello_world`,
      headers: authB,
    });
    expect(listB.json().data).toEqual([expect.objectContaining({ name: 'hello_world', status: 'APPROVED' })]);
  });
});
