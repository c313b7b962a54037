import { eventually } from '@wa-broker/infra/poll';
import { describe, expect, it } from 'vitest';
import {
  auth,
  number as numberA,
  simulatorForFile,
  startSimulator,
  token as tokenA,
  waba,
} from './support/simulator.js';

// Issue 17 §2: a business runs several numbers, possibly in several WABAs of one portfolio, and Meta posts every
// number's webhooks to the one webhook. Each number has its own token, throughput (meta-2026-changes.md §1.9) and
// 24 h windows.

const numberB = '106540352242923';
const wabaB = '102290129340399';
const tokenB = 'sim_test_token_b';
const authB = { authorization: `Bearer ${tokenB}` };
/** A third number in the first WABA, with the simulator's tokens and Meta's default throughput. */
const numberC = '106540352242924';
const user = '15550001111';
const tmpl = { name: 'hello_world', language: { code: 'en_US' } };
const extraNumbers = [
  {
    phone_number_id: numberB,
    display_phone_number: '15550008888',
    waba_id: wabaB,
    token: tokenB,
    throughput_per_second: 3,
  },
  { phone_number_id: numberC, display_phone_number: '15550007777' },
];

const simulator = simulatorForFile({
  // Small buckets so that a test can exhaust one number without the other.
  SIM_THROUGHPUT_PER_SECOND: '5',
  SIM_EXTRA_NUMBERS: JSON.stringify(extraNumbers),
});

type Value = {
  metadata?: { phone_number_id: string; display_phone_number: string };
  messages?: { id: string; type: string; text?: { body: string } }[];
  statuses?: { id: string; status: string; errors?: { code: number }[] }[];
};
/** Every change the webhook received, with the `entry[].id` it came in. */
const changes = (): { entryId: string; value: Value }[] =>
  simulator.received.flatMap((post) =>
    (post.body.entry as { id: string; changes: { value: Value }[] }[]).flatMap((entry) =>
      entry.changes.map((change) => ({ entryId: entry.id, value: change.value })),
    ),
  );
const statusesOf = (wamid: string) =>
  changes().flatMap(({ entryId, value }) =>
    (value.statuses ?? [])
      .filter((status) => status.id === wamid)
      .map((status) => ({ entryId, value, status })),
  );

/** The user writes to a number (none: the simulator's default, the first). */
const userWrites = (text: string, phoneNumberId?: string, to = user) =>
  simulator.app.inject({
    method: 'POST',
    url: `/sim/users/${to}/messages`,
    payload: { type: 'text', text, ...(phoneNumberId ? { phone_number_id: phoneNumberId } : {}) },
  });
/** `POST /v21.0/{phone-number-id}/messages`: a text from a number with a token. */
const sendFrom = (
  phoneNumberId: string,
  headers: Record<string, string>,
  payload: Record<string, unknown> = { to: user, type: 'text', text: { body: 'hello' } },
) =>
  simulator.app.inject({
    method: 'POST',
    url: `/v21.0/${phoneNumberId}/messages`,
    headers,
    payload: { messaging_product: 'whatsapp', ...payload },
  });
const codeOf = (response: { statusCode: number; json: () => { error?: { code: number } } }) =>
  response.statusCode === 200 ? 200 : response.json().error?.code;

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

describe("each number's own token", () => {
  it("refuses B's token on A's endpoint and A's on B's, like a bad token (401/190)", async () => {
    await userWrites('hi A');
    await userWrites('hi B', numberB);
    for (const [phoneNumberId, headers] of [
      [numberA, authB],
      [numberB, auth],
    ] as const) {
      const response = await sendFrom(phoneNumberId, headers);
      expect(response.statusCode, phoneNumberId).toBe(401);
      expect(response.json(), phoneNumberId).toEqual({
        error: {
          message: 'Invalid OAuth access token - Cannot parse access token',
          type: 'OAuthException',
          code: 190,
          fbtrace_id: expect.any(String),
        },
      });
    }
    expect(codeOf(await sendFrom(numberA, auth))).toBe(200);
    expect(codeOf(await sendFrom(numberB, authB))).toBe(200);
    // A number without a token of its own takes the simulator's tokens.
    expect(codeOf(await sendFrom(numberC, auth, { to: user, type: 'template', template: tmpl }))).toBe(200);
    expect(codeOf(await sendFrom(numberC, authB, { to: user, type: 'template', template: tmpl }))).toBe(190);
  });

  it('answers an unknown phone-number id as before (100/33), whichever number the token is of', async () => {
    const response = await sendFrom('999', authB);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 100,
      error_subcode: 33,
      type: 'GraphMethodException',
    });
  });

  it('marks as read only messages sent to that number', async () => {
    const toB = (await userWrites('read me', numberB)).json();
    expect(toB.phone_number_id).toBe(numberB);
    const markRead = (phoneNumberId: string, headers: Record<string, string>) =>
      sendFrom(phoneNumberId, headers, { status: 'read', message_id: toB.wamid });
    const fromA = await markRead(numberA, auth);
    expect([fromA.statusCode, fromA.json().error?.code]).toEqual([400, 131009]);
    expect((await markRead(numberB, authB)).json()).toEqual({ success: true });
    const chat = (await simulator.app.inject({ method: 'GET', url: `/sim/users/${user}/messages` })).json();
    expect(chat.messages[0]).toMatchObject({ wamid: toB.wamid, readByBusiness: true });
  });

  it("serves a user's photo to the number it was sent to, with that number's token only", async () => {
    const photo = (
      await simulator.app.inject({
        method: 'POST',
        url: `/sim/users/${user}/messages`,
        payload: { type: 'image', phone_number_id: numberB },
      })
    ).json();
    const mediaId = photo.content.image.id as string;
    const lookup = (headers: Record<string, string>) =>
      simulator.app.inject({ method: 'GET', url: `/v21.0/${mediaId}`, headers });
    const refused = await lookup(auth);
    expect([refused.statusCode, refused.json().error.code]).toEqual([401, 190]);
    const found = await lookup(authB);
    expect(found.json()).toMatchObject({ id: mediaId, mime_type: 'image/png' });
    const { pathname, search } = new URL(found.json().url);
    const path = `${pathname}${search}`;
    expect((await simulator.app.inject({ method: 'GET', url: path, headers: auth })).statusCode).toBe(401);
    expect((await simulator.app.inject({ method: 'GET', url: path, headers: authB })).statusCode).toBe(200);
  });
});

describe("each number's own throughput", () => {
  it('answers 130429 on the number whose bucket is empty while the other keeps sending', async () => {
    // Templates to different users: no window and no pair limit in the way, only the numbers' buckets.
    const to = (index: number) => ({ to: `1555200${index}`, type: 'template', template: tmpl });
    const fromB = [];
    for (let index = 0; index < 5; index += 1) fromB.push(codeOf(await sendFrom(numberB, authB, to(index))));
    // B holds 3 at once (refilling at 3/s): the first three go, then B is out of tokens for a while.
    expect(fromB.slice(0, 3)).toEqual([200, 200, 200]);
    expect(fromB).toContain(130429);
    const fromA = [];
    for (let index = 5; index < 10; index += 1) fromA.push(codeOf(await sendFrom(numberA, auth, to(index))));
    expect(fromA).toEqual([200, 200, 200, 200, 200]);
  });
});

describe('the 24 h window per (user, number)', () => {
  it('is opened only with the number the user wrote to', async () => {
    await userWrites('hi A');
    const fromB = await sendFrom(numberB, authB);
    expect(fromB.statusCode).toBe(200);
    const fromA = await sendFrom(numberA, auth);
    expect(fromA.statusCode).toBe(200);
    const wamidB = fromB.json().messages[0].id as string;
    const wamidA = fromA.json().messages[0].id as string;
    // Meta accepts the free-form send outside B's window and fails it in a status (131047), B's metadata on it.
    await eventually(() => statusesOf(wamidB).length === 1 && statusesOf(wamidA).length === 3);
    expect(statusesOf(wamidB)).toEqual([
      {
        entryId: wabaB,
        value: expect.objectContaining({ metadata: expect.objectContaining({ phone_number_id: numberB }) }),
        status: expect.objectContaining({
          status: 'failed',
          errors: [expect.objectContaining({ code: 131047 })],
        }),
      },
    ]);
    expect(statusesOf(wamidA).map(({ status }) => status.status)).toEqual(['sent', 'delivered', 'read']);
  });

  it("closes one number's window (last-inbound with phone_number_id) and leaves the other's open", async () => {
    await simulator.app.inject({ method: 'PUT', url: '/sim/faults', payload: { window_error_mode: 'sync' } });
    await userWrites('hi A');
    await userWrites('hi B', numberB);
    expect(codeOf(await sendFrom(numberA, auth))).toBe(200);
    expect(codeOf(await sendFrom(numberB, authB))).toBe(200);
    const closed = await simulator.app.inject({
      method: 'POST',
      url: `/sim/users/${user}/last-inbound`,
      payload: { at: new Date(Date.now() - 25 * 3600_000).toISOString(), phone_number_id: numberB },
    });
    expect(closed.statusCode).toBe(200);
    expect(codeOf(await sendFrom(numberB, authB))).toBe(131047);
    expect(codeOf(await sendFrom(numberA, auth))).toBe(200);
    // Without phone_number_id the hook moves the first number's window, as it did with one number.
    await simulator.app.inject({
      method: 'POST',
      url: `/sim/users/${user}/last-inbound`,
      payload: { at: new Date(Date.now() - 25 * 3600_000).toISOString() },
    });
    expect(codeOf(await sendFrom(numberA, auth))).toBe(131047);
    await userWrites('back on B', numberB);
    expect(codeOf(await sendFrom(numberB, authB))).toBe(200);
  });
});
