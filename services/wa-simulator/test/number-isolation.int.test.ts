import { eventually } from '@wa-broker/infra/poll';
import { describe, expect, it } from 'vitest';
import {
  auth,
  authB,
  codeOf,
  numberA,
  numberB,
  numberC,
  severalNumbersSimulator,
  tmpl,
  user,
  wabaB,
} from './support/several-numbers.js';

// Issue 17 §2, several numbers on one webhook: each number's own token, throughput (meta-2026-changes.md §1.9) and
// 24 h windows.

const { simulator, statusesOf, userWrites, sendFrom } = severalNumbersSimulator();

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
