import { eventually } from '@wa-broker/infra/poll';
import { describe, expect, it } from 'vitest';
import { auth, number, simulatorForFile, startSimulator } from './support/simulator.js';

// meta-2026-changes.md §1.2: business-scoped user ids (BSUID) on every webhook, usernames without a phone,
// sends by `recipient`, identity-change system messages.

const simulator = simulatorForFile();

type Value = { contacts?: Record<string, unknown>[]; messages?: Record<string, unknown>[] };
const values = (): Value[] =>
  simulator.received.flatMap((post) =>
    (post.body.entry as { changes: { value: Value }[] }[]).flatMap((entry) =>
      entry.changes.map((c) => c.value),
    ),
  );
const bsuid = /^[A-Z]{2}\.\d{20}$/;
const sendTo = (addressing: Record<string, string>, body = 'hello') =>
  simulator.app.inject({
    method: 'POST',
    url: `/v21.0/${number}/messages`,
    headers: auth,
    payload: { messaging_product: 'whatsapp', ...addressing, type: 'text', text: { body } },
  });

describe('a user who shares their phone number', () => {
  it('carries the same BSUID in contacts[].user_id, messages[].from_user_id and statuses[].recipient_user_id', async () => {
    await simulator.userSays('4915110000002', 'hallo');
    await eventually(() => values().length === 1);
    const [inbound] = values();
    const userId = inbound?.contacts?.[0]?.user_id as string;
    expect(userId).toMatch(bsuid);
    expect(userId.startsWith('DE.')).toBe(true);
    expect(inbound).toMatchObject({
      contacts: [{ wa_id: '4915110000002', user_id: userId, country_code: 'DE', profile: { name: 'Jane' } }],
      messages: [{ from: '4915110000002', from_user_id: userId }],
    });
    await simulator.sendText('4915110000002');
    await eventually(() => simulator.statuses().length === 3);
    for (const status of simulator.statuses())
      expect(status).toMatchObject({ recipient_id: '4915110000002', recipient_user_id: userId });
  });

  it('keeps its BSUID across a simulator restart (stable per user)', async () => {
    const created = (
      await simulator.app.inject({
        method: 'POST',
        url: '/sim/users',
        payload: { wa_id: '15550001111', name: 'Jane' },
      })
    ).json();
    const other = await startSimulator();
    try {
      const again = (
        await other.app.inject({
          method: 'POST',
          url: '/sim/users',
          payload: { wa_id: '15550001111', name: 'J' },
        })
      ).json();
      expect(again.userId).toBe(created.userId);
      expect(created.userId).toMatch(bsuid);
    } finally {
      await other.close();
    }
  });

  // "send request: `recipient` (BSUID) next to / instead of `to`; if both, `to` wins".
  it('can be written to by `recipient`, and the response names the user by user_id', async () => {
    const user = (
      await simulator.app.inject({
        method: 'POST',
        url: '/sim/users',
        payload: { wa_id: '15550001111', name: 'Jane' },
      })
    ).json();
    await simulator.userSays('15550001111', 'hi');
    const response = await sendTo({ recipient: user.userId });
    expect(response.statusCode).toBe(200);
    expect(response.json().contacts).toEqual([
      { input: user.userId, wa_id: '15550001111', user_id: user.userId },
    ]);
    const malformed = await sendTo({ recipient: '15550001111' });
    expect([malformed.statusCode, malformed.json().error.code]).toEqual([400, 100]);
  });
});

describe('a user whose phone Meta stops sharing (30 days without contact, not in the contact book)', () => {
  it('keeps the BSUID and drops wa_id, from and recipient_id, while a send to the phone still reaches them', async () => {
    await simulator.userSays('4915110000003', 'first');
    await eventually(() => values().length === 1);
    const userId = values()[0]?.contacts?.[0]?.user_id as string;
    const hidden = await simulator.app.inject({
      method: 'PATCH',
      url: '/sim/users/4915110000003',
      payload: { phone_hidden: true },
    });
    expect(hidden.statusCode).toBe(200);
    await simulator.userSays(userId, 'second');
    await eventually(() => values().length === 2);
    const second = values()[1];
    expect(second?.contacts).toEqual([{ profile: { name: 'Jane' }, user_id: userId, country_code: 'DE' }]);
    expect(second?.messages?.[0]).not.toHaveProperty('from');
    const sent = await sendTo({ to: '4915110000003' });
    expect(sent.json().contacts).toEqual([{ input: '4915110000003', wa_id: '4915110000003' }]);
    await eventually(() => simulator.statuses().length === 3);
    for (const status of simulator.statuses()) {
      expect(status).toMatchObject({ recipient_user_id: userId });
      expect(status).not.toHaveProperty('recipient_id');
    }
    const refused = await simulator.app.inject({
      method: 'PATCH',
      url: '/sim/users/4915110000003',
      payload: { phone_hidden: 'yes' },
    });
    expect(refused.statusCode).toBe(400);
  });
});

describe('a username-only user (no phone number shared)', () => {
  it('has no wa_id and no from, and is reached by recipient (statuses without recipient_id)', async () => {
    const created = await simulator.app.inject({
      method: 'POST',
      url: '/sim/users',
      payload: { username: 'mei.tan', name: 'Mei', country_code: 'SG' },
    });
    expect(created.statusCode).toBe(201);
    const mei = created.json();
    expect(mei).not.toHaveProperty('waId');
    expect(mei).toMatchObject({
      username: 'mei.tan',
      countryCode: 'SG',
      userId: expect.stringMatching(/^SG\.\d{20}$/),
    });
    await simulator.app.inject({
      method: 'POST',
      url: `/sim/users/${mei.userId}/messages`,
      payload: { type: 'text', text: 'hi' },
    });
    await eventually(() => values().length === 1);
    const [inbound] = values();
    expect(inbound?.contacts).toEqual([
      { profile: { name: 'Mei', username: 'mei.tan' }, user_id: mei.userId, country_code: 'SG' },
    ]);
    expect(inbound?.messages?.[0]).not.toHaveProperty('from');
    expect(inbound?.messages?.[0]).toMatchObject({ from_user_id: mei.userId, text: { body: 'hi' } });

    const response = await sendTo({ recipient: mei.userId });
    expect(response.json().contacts).toEqual([{ input: mei.userId, user_id: mei.userId }]);
    await eventually(() => simulator.statuses().length === 3);
    for (const status of simulator.statuses()) {
      expect(status).toMatchObject({ recipient_user_id: mei.userId });
      expect(status).not.toHaveProperty('recipient_id');
    }
  });
});

describe('identity-change system messages (changelog 2026-08-11: on the messages field, no contacts)', () => {
  it('fires user_changed_number with the new number, the new user_id and previous_user_id', async () => {
    const before = (
      await simulator.app.inject({
        method: 'POST',
        url: '/sim/users',
        payload: { wa_id: '15550001111', name: 'Jane' },
      })
    ).json();
    const changed = await simulator.app.inject({
      method: 'POST',
      url: '/sim/users/15550001111/system',
      payload: { type: 'user_changed_number', wa_id: '15550002222' },
    });
    expect(changed.statusCode).toBe(202);
    const after = changed.json().user;
    expect(after).toMatchObject({ waId: '15550002222', userId: expect.stringMatching(bsuid) });
    expect(after.userId).not.toBe(before.userId);
    await eventually(() => values().length === 1);
    const [value] = values();
    expect(value).not.toHaveProperty('contacts');
    expect(value?.messages).toEqual([
      {
        from: '15550001111',
        from_user_id: before.userId,
        id: expect.stringMatching(/^wamid\./),
        timestamp: expect.any(String),
        type: 'system',
        system: {
          body: 'User Jane changed from 15550001111 to 15550002222',
          wa_id: '15550002222',
          type: 'user_changed_number',
          user_id: after.userId,
          previous_user_id: before.userId,
        },
      },
    ]);
    // Only the new ids reach the user now; the system message does not open the 24 h window.
    const users = (await simulator.app.inject({ method: 'GET', url: '/sim/users' })).json().users;
    expect(users).toEqual([expect.objectContaining({ waId: '15550002222', lastInboundAt: null })]);
  });

  it('fires user_changed_user_id with previous_user_id, and refuses an id taken by someone else', async () => {
    const jane = (
      await simulator.app.inject({
        method: 'POST',
        url: '/sim/users',
        payload: { wa_id: '15550001111', name: 'Jane' },
      })
    ).json();
    const john = (
      await simulator.app.inject({
        method: 'POST',
        url: '/sim/users',
        payload: { wa_id: '15550002222', name: 'John' },
      })
    ).json();
    const taken = await simulator.app.inject({
      method: 'POST',
      url: `/sim/users/${jane.userId}/system`,
      payload: { type: 'user_changed_user_id', user_id: john.userId },
    });
    expect(taken.statusCode).toBe(409);
    const changed = await simulator.app.inject({
      method: 'POST',
      url: `/sim/users/${jane.userId}/system`,
      payload: { type: 'user_changed_user_id' },
    });
    const after = changed.json().user;
    expect(after.userId).toMatch(bsuid);
    expect(after.userId).not.toBe(jane.userId);
    await eventually(() => values().length === 1);
    expect(values()[0]?.messages?.[0]).toMatchObject({
      type: 'system',
      system: { type: 'user_changed_user_id', user_id: after.userId, previous_user_id: jane.userId },
    });
    expect((await sendTo({ recipient: after.userId })).json().contacts[0]).toMatchObject({
      wa_id: '15550001111',
    });
  });
});
