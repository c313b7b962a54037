import { eventually } from '@wa-broker/infra/poll';
import { describe, expect, it } from 'vitest';
import {
  auth,
  authB,
  extraNumbers,
  numberA,
  numberB,
  numberC,
  severalNumbersSimulator,
  startSimulator,
  tokenA,
  tokenB,
  user,
  type Value,
  waba,
  wabaB,
} from './support/several-numbers.js';

// Issue 17 §2, several numbers on one webhook: the numbers listed, users writing to each, sends from each.

const { simulator, changes, statusesOf, userWrites, sendFrom } = severalNumbersSimulator();

describe('GET /sim/numbers', () => {
  it('lists the configured numbers, the first first, with their defaults and without tokens', async () => {
    const response = await simulator.app.inject({ method: 'GET', url: '/sim/numbers' });
    expect(response.json()).toEqual({
      numbers: [
        {
          phone_number_id: numberA,
          display_phone_number: '15550009999',
          waba_id: waba,
          throughput_per_second: 5,
        },
        {
          phone_number_id: numberB,
          display_phone_number: '15550008888',
          waba_id: wabaB,
          throughput_per_second: 3,
        },
        {
          phone_number_id: numberC,
          display_phone_number: '15550007777',
          waba_id: waba,
          throughput_per_second: 80,
        },
      ],
    });
    expect(response.body).not.toContain(tokenA);
    expect(response.body).not.toContain(tokenB);
  });
});

describe('a user writing to several numbers', () => {
  it("posts each message with the chosen number's metadata, in an entry of its WABA", async () => {
    expect((await userWrites('to A')).statusCode).toBe(202);
    await eventually(() => changes().length === 1);
    expect((await userWrites('to B', numberB)).statusCode).toBe(202);
    await eventually(() => changes().length === 2);
    expect((await userWrites('to C', numberC)).statusCode).toBe(202);
    await eventually(() => changes().length === 3);
    expect(
      changes().map(({ entryId, value }) => [entryId, value.metadata, value.messages?.[0]?.text?.body]),
    ).toEqual([
      [waba, { display_phone_number: '15550009999', phone_number_id: numberA }, 'to A'],
      [wabaB, { display_phone_number: '15550008888', phone_number_id: numberB }, 'to B'],
      [waba, { display_phone_number: '15550007777', phone_number_id: numberC }, 'to C'],
    ]);
    // One user, one BSUID for the whole portfolio, whichever WABA the number is in.
    const users = (await simulator.app.inject({ method: 'GET', url: '/sim/users' })).json().users;
    expect(users).toHaveLength(1);
    expect(Object.keys(users[0].lastInboundByNumber).sort()).toEqual([numberA, numberB, numberC].sort());
  });

  it('is refused (400) for a number the simulator does not serve, and nothing is posted', async () => {
    const response = await userWrites('to nowhere', '999');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'unknown_number' });
    const chat = await simulator.app.inject({ method: 'GET', url: `/sim/users/${user}/messages` });
    expect(chat.json().messages).toEqual([]);
    expect(simulator.received).toEqual([]);
  });

  it("sends an identity change's system message with the chosen number's metadata", async () => {
    await userWrites('hi', numberB);
    await eventually(() => changes().length === 1);
    const changed = await simulator.app.inject({
      method: 'POST',
      url: `/sim/users/${user}/system`,
      payload: { type: 'user_changed_user_id', phone_number_id: numberB },
    });
    expect(changed.statusCode).toBe(202);
    expect(changed.json().entry).toMatchObject({ phone_number_id: numberB, type: 'system' });
    await eventually(() => changes().length === 2);
    expect(changes()[1]).toMatchObject({
      entryId: wabaB,
      value: { metadata: { phone_number_id: numberB }, messages: [{ type: 'system' }] },
    });
  });
});

describe('a send from another number', () => {
  it("reaches the user's chat tagged with that number, and its statuses carry that number's metadata", async () => {
    await userWrites('hi B', numberB);
    const response = await sendFrom(numberB, authB);
    expect(response.statusCode).toBe(200);
    const wamid = response.json().messages[0].id as string;
    await eventually(() => statusesOf(wamid).length === 3);
    expect(statusesOf(wamid).map(({ status }) => status.status)).toEqual(['sent', 'delivered', 'read']);
    for (const { entryId, value } of statusesOf(wamid)) {
      expect(entryId).toBe(wabaB);
      expect(value.metadata).toEqual({ display_phone_number: '15550008888', phone_number_id: numberB });
    }
    const chat = (await simulator.app.inject({ method: 'GET', url: `/sim/users/${user}/messages` })).json();
    expect(
      chat.messages.map((entry: Record<string, unknown>) => [entry.direction, entry.phone_number_id]),
    ).toEqual([
      ['in', numberB],
      ['out', numberB],
    ]);
    const sent = chat.messages[1];
    expect(sent).toMatchObject({ wamid, status: 'read' });
    // The chat with one number: `?phone_number_id=` leaves the others out.
    const withA = await simulator.app.inject({
      method: 'GET',
      url: `/sim/users/${user}/messages?phone_number_id=${numberA}`,
    });
    expect(withA.json().messages).toEqual([]);
  });

  it("is read only in the chat the user opens, the read status with the sending number's metadata", async () => {
    const manual = await startSimulator({
      SIM_AUTO_READ: 'false',
      SIM_EXTRA_NUMBERS: JSON.stringify(extraNumbers),
    });
    try {
      const inject = manual.app.inject.bind(manual.app);
      for (const phoneNumberId of [numberA, numberB])
        await inject({
          method: 'POST',
          url: `/sim/users/${user}/messages`,
          payload: { type: 'text', text: 'hi', phone_number_id: phoneNumberId },
        });
      const send = async (phoneNumberId: string, headers: Record<string, string>) =>
        (
          await inject({
            method: 'POST',
            url: `/v21.0/${phoneNumberId}/messages`,
            headers,
            payload: { messaging_product: 'whatsapp', to: user, type: 'text', text: { body: 'hello' } },
          })
        ).json().messages[0].id as string;
      const fromA = await send(numberA, auth);
      const fromB = await send(numberB, authB);
      const reads = () =>
        manual.received.flatMap((post) =>
          (post.body.entry as { id: string; changes: { value: Value }[] }[]).flatMap((entry) =>
            entry.changes.flatMap((change) =>
              (change.value.statuses ?? [])
                .filter((status) => status.status === 'read')
                .map((status) => [entry.id, change.value.metadata?.phone_number_id, status.id]),
            ),
          ),
        );
      await eventually(() => manual.statuses().length === 4);
      const opened = await inject({
        method: 'POST',
        url: `/sim/users/${user}/read`,
        payload: { phone_number_id: numberB },
      });
      expect(opened.json()).toEqual({ read: 1 });
      await eventually(() => reads().length === 1);
      expect(reads()).toEqual([[wabaB, numberB, fromB]]);
      // Without phone_number_id the user opens every chat: A's is what is left.
      expect((await inject({ method: 'POST', url: `/sim/users/${user}/read` })).json()).toEqual({ read: 1 });
      await eventually(() => reads().length === 2);
      expect(reads()[1]).toEqual([waba, numberA, fromA]);
    } finally {
      await manual.close();
    }
  });
});
