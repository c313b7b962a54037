import { eventually } from '@wa-broker/infra/poll';
import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';
import type { OperatorConversation, OperatorMessage } from '@wa-broker/shared/operator-protocol';
import { describe, expect, it } from 'vitest';
import { isE2eAgent, Phone } from '../src/phone.js';
import { phoneNumberId } from '../src/system-env.js';
import { systemForFile } from '../src/system-for-file.js';

/**
 * Who the user is (issue 17; meta-2026-changes.md §1.2): keyed by the business-scoped user id (BSUID) from the
 * first message on, whether Meta shares the phone, hides it, or the user changes number.
 */
const { system, phone, bus } = systemForFile();

async function sim(method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${system.simulator.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status >= 300)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

async function inbox<T>(path: string): Promise<T> {
  const response = await fetch(`${system.agent.url}/api/conversations${path}`, {
    headers: { authorization: `Bearer ${system.operatorToken}` },
  });
  return (await response.json()) as T;
}

const conversations = async () =>
  (await inbox<{ conversations: OperatorConversation[] }>('?limit=200')).conversations;
const historyOf = async (key: string) =>
  (await inbox<{ messages: OperatorMessage[] }>(`/${encodeURIComponent(key)}/messages?limit=200`)).messages;
const eventsOf = (keys: string[]) => bus.inbound.filter((e) => keys.includes(e.waID));
const menusFor = async (address: string) =>
  (await phone.received(address)).filter((entry) => entry.type === 'interactive').length;

describe('the user is one person to the broker', () => {
  it('a username-only user (no phone ever shared) gets the menu, talks to the agent and is one inbox conversation', async () => {
    const mei = await sim('POST', '/sim/users', { username: 'mei.e2e', name: 'Mei', country_code: 'SG' });
    const userId = String(mei.userId);
    const hi = await phone.say(userId, 'Hi, I have no phone number to show you', 'Mei');
    await phone.choose(userId, isE2eAgent);
    const first = await bus.waitForInbound((e) => e.wamid === hi.wamid, 'the username-only user’s message');
    expect(first).toMatchObject({
      waID: userId,
      phone_number_id: phoneNumberId,
      user: { user_id: userId, username: 'mei.e2e', name: 'Mei' },
    });
    expect(first.user.wa_id).toBeUndefined();

    const key = await bus.reply({ waID: userId, message_type: 'text', text: 'Hello Mei!' });
    const reply = await phone.waitFor(userId, (entry) => Phone.text(entry) === 'Hello Mei!', 'the reply');
    const read = await bus.waitForInbound(
      (e) => e.type === 'status' && e.status?.wamid === reply.wamid && e.status.status === 'read',
      'the read status',
    );
    expect(read).toMatchObject({ waID: userId, status: { idempotency_key: key } });

    const listed = await eventually(
      // Replies the bus wrote are not the inbox's own; the user's message is what the inbox stores.
      async () => (await conversations()).find((c) => c.wa_id === userId),
      { what: 'the conversation in the inbox' },
    );
    expect(listed).toMatchObject({ username: 'mei.e2e', name: 'Mei', phone_number_id: phoneNumberId });
    expect(listed.phone).toBeUndefined();
  });

  it('seen by phone, then by BSUID only, then after user_changed_number: one session, one conversation, order kept', async () => {
    const waId = '15557300001';
    const newNumber = '15557300002';
    const one = await phone.say(waId, 'one');
    await phone.choose(waId, isE2eAgent);
    const first = await bus.waitForInbound((e) => e.wamid === one.wamid, 'the first message');
    const bsuid = first.waID;
    expect(bsuid).toMatch(/^US\.\d{20}$/);
    expect(first.user).toMatchObject({ wa_id: waId, user_id: bsuid });
    const menus = await menusFor(waId);

    // Meta stops sharing the phone: the next webhook names the BSUID only.
    await sim('PATCH', `/sim/users/${waId}`, { phone_hidden: true });
    const two = await phone.say(bsuid, 'two');
    const second = await bus.waitForInbound((e) => e.wamid === two.wamid, 'the message without a phone');
    expect(second).toMatchObject({ waID: bsuid, user: { user_id: bsuid, wa_id: waId } });
    await bus.reply({ waID: bsuid, message_type: 'text', text: 'still you' });
    await phone.waitFor(bsuid, (entry) => Phone.text(entry) === 'still you', 'the reply by BSUID');

    // A new number brings a new BSUID: the session, window and history move to it.
    const changed = await sim('POST', `/sim/users/${bsuid}/system`, {
      type: 'user_changed_number',
      wa_id: newNumber,
    });
    const newBsuid = String((changed.user as { userId: string } | undefined)?.userId ?? changed.userId);
    expect(newBsuid).not.toBe(bsuid);
    const moved = await bus.waitForInbound(
      (e) => e.type === 'identity_changed' && e.waID === newBsuid,
      'identity_changed',
    );
    expect(moved.identity).toEqual({ reason: 'user_changed_number', previous_waID: bsuid });
    const three = await phone.say(newNumber, 'three');
    await bus.waitForInbound((e) => e.wamid === three.wamid, 'the message from the new number');
    expect(await menusFor(newNumber)).toBe(menus); // no new menu: the same session went on
    await bus.reply({ waID: newBsuid, message_type: 'text', text: 'new number, same chat' });
    await phone.waitFor(newNumber, (entry) => Phone.text(entry) === 'new number, same chat', 'the reply');

    const texts = eventsOf([bsuid, newBsuid])
      .filter((e: AgentInboundEvent) => e.type === 'text')
      .map((e) => e.text);
    expect(texts).toEqual(['one', 'two', 'three']);
    const sessionsStarted = eventsOf([bsuid, newBsuid]).filter((e) => e.type === 'session_started');
    expect(sessionsStarted).toHaveLength(1);

    const history = await eventually(
      async () => {
        const list = await historyOf(newBsuid);
        return list.some((m) => m.text === 'three') && list;
      },
      { what: 'the moved history in the inbox' },
    );
    // All three in the one conversation (the inbox orders by Meta's whole seconds: order is the agent's, above).
    expect(
      history
        .filter((m) => m.direction === 'in')
        .map((m) => m.text)
        .sort(),
    ).toEqual(['one', 'three', 'two']);
    const mine = (await conversations()).filter((c) => c.wa_id === bsuid || c.wa_id === newBsuid);
    expect(mine.map((c) => [c.wa_id, c.phone])).toEqual([[newBsuid, newNumber]]);
  });
});
