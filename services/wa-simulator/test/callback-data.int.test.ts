import { eventually } from '@wa-broker/infra/poll';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorUnderTest, startSimulator } from './support/simulator.js';

// What the router puts there: which send this is, so a status can be matched without the wamid.
const callbackData = 'claim:agent_A/15550001111/3f1c9a2e-0d4b-4e8e-9a51-7c2f0b6d1e42';
const user = '15550001111';

describe('biz_opaque_callback_data, users reading on their own (SIM_AUTO_READ)', () => {
  let simulator: SimulatorUnderTest;
  beforeAll(async () => {
    simulator = await startSimulator();
  });
  afterEach(() => simulator.reset());
  afterAll(() => simulator.close());

  it('is echoed in the sent, delivered and read statuses, where Meta puts it', async () => {
    await simulator.userSays(user, 'hi');
    const response = await simulator.sendText(user, 'Your order shipped', {
      biz_opaque_callback_data: callbackData,
    });
    expect(response.statusCode).toBe(200);
    const wamid = response.json().messages[0].id as string;
    await eventually(() => simulator.statuses().length === 3);
    expect(simulator.statuses()).toEqual([
      expect.objectContaining({ id: wamid, status: 'sent', biz_opaque_callback_data: callbackData }),
      expect.objectContaining({ id: wamid, status: 'delivered', biz_opaque_callback_data: callbackData }),
      expect.objectContaining({ id: wamid, status: 'read', biz_opaque_callback_data: callbackData }),
    ]);
  });

  it('is left out of the statuses of a send that did not set it', async () => {
    await simulator.userSays(user, 'hi');
    expect((await simulator.sendText(user)).statusCode).toBe(200);
    await eventually(() => simulator.statuses().length === 3);
    for (const status of simulator.statuses()) expect(status).not.toHaveProperty('biz_opaque_callback_data');
  });

  it('keeps each send its own value', async () => {
    await simulator.userSays(user, 'hi');
    const first = (await simulator.sendText(user, 'one', { biz_opaque_callback_data: 'send-1' })).json();
    const second = (await simulator.sendText(user, 'two', { biz_opaque_callback_data: 'send-2' })).json();
    await eventually(() => simulator.statuses().length === 6);
    const byWamid = new Map<string, Set<string | undefined>>();
    for (const status of simulator.statuses())
      byWamid.set(status.id, (byWamid.get(status.id) ?? new Set()).add(status.biz_opaque_callback_data));
    expect(byWamid.get(first.messages[0].id)).toEqual(new Set(['send-1']));
    expect(byWamid.get(second.messages[0].id)).toEqual(new Set(['send-2']));
  });

  it('accepts 512 characters and refuses 513 with (#100) like the Graph API, sending nothing', async () => {
    await simulator.userSays(user, 'hi');
    const longest = await simulator.sendText(user, 'ok', { biz_opaque_callback_data: 'x'.repeat(512) });
    expect(longest.statusCode).toBe(200);
    await eventually(() => simulator.statuses().length === 3);
    expect(simulator.statuses().map((status) => status.biz_opaque_callback_data?.length)).toEqual([
      512, 512, 512,
    ]);

    const tooLong = await simulator.sendText(user, 'no', { biz_opaque_callback_data: 'x'.repeat(513) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toEqual({
      error: {
        message: '(#100) Invalid parameter',
        type: 'OAuthException',
        code: 100,
        error_data: {
          messaging_product: 'whatsapp',
          details: 'Param biz_opaque_callback_data must be at most 512 characters long.',
        },
        fbtrace_id: expect.any(String),
      },
    });
    const notText = await simulator.sendText(user, 'no', { biz_opaque_callback_data: { claim: 1 } });
    expect([notText.statusCode, notText.json().error.code]).toEqual([400, 100]);
    const chat = (await simulator.app.inject({ method: 'GET', url: `/sim/users/${user}/messages` })).json();
    expect(chat.messages.filter((entry: { direction: string }) => entry.direction === 'out')).toHaveLength(1);
  });
});

describe('biz_opaque_callback_data, read on the phone and window errors as statuses', () => {
  let simulator: SimulatorUnderTest;
  beforeAll(async () => {
    simulator = await startSimulator({ SIM_AUTO_READ: 'false' });
  });
  afterEach(() => simulator.reset());
  afterAll(() => simulator.close());

  it('is echoed in the read status sent when the user opens the chat', async () => {
    await simulator.userSays(user, 'hi');
    const sent = await simulator.sendText(user, 'Hello', { biz_opaque_callback_data: callbackData });
    const wamid = sent.json().messages[0].id as string;
    await eventually(() => simulator.statuses().length === 2);
    const opened = await simulator.app.inject({ method: 'POST', url: `/sim/users/${user}/read` });
    expect(opened.json()).toEqual({ read: 1 });
    await eventually(() => simulator.statuses().length === 3);
    expect(
      simulator.statuses().map((status) => [status.id, status.status, status.biz_opaque_callback_data]),
    ).toEqual([
      [wamid, 'sent', callbackData],
      [wamid, 'delivered', callbackData],
      [wamid, 'read', callbackData],
    ]);
  });

  it('is echoed in the failed status of a message sent outside the window (131047)', async () => {
    const sent = await simulator.sendText('15550009876', 'late', { biz_opaque_callback_data: callbackData });
    expect(sent.statusCode).toBe(200);
    await eventually(() => simulator.statuses().length === 1);
    expect(simulator.statuses()[0]).toMatchObject({
      id: sent.json().messages[0].id,
      status: 'failed',
      biz_opaque_callback_data: callbackData,
      errors: [{ code: 131047 }],
    });
  });
});
