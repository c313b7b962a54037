import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, number, type SimulatorUnderTest, startSimulator } from './support/simulator.js';

// meta-2026-changes.md §1.4: the read call with `typing_indicator` shows "typing…" until the reply or 25 s.
let simulator: SimulatorUnderTest;
let clock = new Date('2026-06-01T10:00:00.000Z');

beforeAll(async () => {
  simulator = await startSimulator({}, { now: () => clock });
});

afterAll(() => simulator.close());

const typingOf = async (user: string) =>
  (await simulator.app.inject({ method: 'GET', url: `/sim/users/${user}/typing` })).json();

async function typing(wamid: string) {
  const answer = await simulator.app.inject({
    method: 'POST',
    url: `/v21.0/${number}/messages`,
    headers: auth,
    payload: {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: wamid,
      typing_indicator: { type: 'text' },
    },
  });
  expect(answer.json()).toEqual({ success: true });
}

describe('typing indicator', () => {
  it('shows "typing…" for 25 s after the call, and not after a plain read receipt', async () => {
    const { wamid } = (await simulator.userSays('15550007777', 'where is my order?')).json();
    expect(await typingOf('15550007777')).toEqual({ typing: false, until: null });
    await typing(wamid);
    expect(await typingOf('15550007777')).toEqual({ typing: true, until: '2026-06-01T10:00:25.000Z' });
    clock = new Date('2026-06-01T10:00:24.000Z');
    expect((await typingOf('15550007777')).typing).toBe(true);
    clock = new Date('2026-06-01T10:00:26.000Z');
    expect(await typingOf('15550007777')).toEqual({ typing: false, until: null });
  });

  it('stops showing it once the business replies', async () => {
    const { wamid } = (await simulator.userSays('15550008888', 'hello?')).json();
    await typing(wamid);
    expect((await typingOf('15550008888')).typing).toBe(true);
    expect((await simulator.sendText('15550008888', 'Here now!')).statusCode).toBe(200);
    expect((await typingOf('15550008888')).typing).toBe(false);
  });
});
