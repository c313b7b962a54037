import { eventually } from '@wa-broker/infra/poll';
import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';
import type { OperatorConversation, OperatorMessage } from '@wa-broker/shared/operator-protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentBus } from '../src/agent-bus.js';
import { type ChatEntry, isE2eAgent, Phone } from '../src/phone.js';
import { phoneNumberId, secrets } from '../src/system-env.js';
import { systemForFile } from '../src/system-for-file.js';

/**
 * Issue 17 end to end, one system for both parts (it starts in seconds, and CI time counts):
 * - who the user is (meta-2026-changes.md §1.2): keyed by the business-scoped user id (BSUID) from the first
 *   message on, whether Meta shares the phone, hides it, or the user changes number;
 * - two business numbers (§2): the sales number offers the e2e agent, the support number (its own token at the
 *   simulator) a second agent; each number's users see its agents and get replies from it. The numbers are
 *   registered with the admin, as an operator would, after the identity tests (which use the default number).
 */
const supportNumber = '109000000002';
const supportToken = 'e2e_graph_token_support_line';
const { system, phone, bus } = systemForFile({
  simulatorEnv: {
    SIM_EXTRA_NUMBERS: JSON.stringify([
      { phone_number_id: supportNumber, display_phone_number: '+1 555 0102', token: supportToken },
    ]),
  },
});

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

let supportBus: AgentBus | undefined;
afterAll(async () => supportBus?.stop());

async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${system.admin.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${system.adminKey}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (response.status >= 300)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const fromNumber = (entries: ChatEntry[], number: string) =>
  entries.filter((entry) => entry.phone_number_id === number);

describe('two business numbers with their own agents', () => {
  it('routes each number’s users to its own agents and answers from that number', async () => {
    const topics = {
      in: `${system.prefix}-support-in`,
      out: `${system.prefix}-support-out`,
      error: `${system.prefix}-support-error`,
    };
    const support = await admin<{ id: number }>('POST', '/api/v2/agents', {
      name: `Support ${system.runId}`,
      read_topic: topics.in,
      write_topic: topics.out,
      error_topic: topics.error,
    });
    const agents = await admin<{ data: { id: number; name: string }[] }>('GET', '/api/v2/agents');
    const sales = agents.data.find((agent) => agent.name === system.agentName);
    expect(sales).toBeDefined();
    supportBus = new AgentBus(system.kafkaBrokers, topics);
    await supportBus.start();
    const common = { waba_id: '102290129340398', throughput_tier: 'standard' };
    await admin('POST', '/api/v2/numbers', {
      ...common,
      phone_number_id: phoneNumberId,
      display_phone_number: '+1 555 0101',
      name: 'Sales line',
      token: secrets.graphToken,
      agent_ids: [sales?.id],
    });
    await admin('POST', '/api/v2/numbers', {
      ...common,
      phone_number_id: supportNumber,
      display_phone_number: '+1 555 0102',
      name: 'Support line',
      token: supportToken,
      agent_ids: [support.id],
    });

    // The registry reaches the router live: the support number's menu offers Support only.
    const user = '15557500001';
    const menu = await eventually(
      async () => {
        await phone.act(user, { type: 'text', text: `hi ${Date.now()}`, phone_number_id: supportNumber });
        const menus = fromNumber(await phone.received(user), supportNumber).filter(
          (e) => e.type === 'interactive',
        );
        const last = menus.at(-1);
        return last && Phone.choices(last).every((c) => c.title.startsWith('Support')) && last;
      },
      { what: 'the support number’s own menu', timeoutMs: 30_000, intervalMs: 1_000 },
    );
    expect(Phone.choices(menu).map((c) => c.title)).toEqual([`Support ${system.runId}`]);
    await phone.choose(user, (title) => title.startsWith('Support'), 20_000, supportNumber);
    const first = await supportBus.waitForInbound((e) => e.type === 'text', 'a message at Support');
    expect(first).toMatchObject({ phone_number_id: supportNumber, display_phone_number: '+1 555 0102' });
    await supportBus.reply({ waID: first.waID, message_type: 'text', text: 'Support line here' });
    const reply = await phone.waitFor(
      user,
      (e) => Phone.text(e) === 'Support line here',
      'the support reply',
    );
    expect(reply.phone_number_id).toBe(supportNumber);

    // The same user on the sales number: that number's menu and agent, replies from it.
    await phone.act(user, { type: 'text', text: 'and sales?', phone_number_id: phoneNumberId });
    const { choice } = await phone.choose(user, () => true, 20_000, phoneNumberId);
    expect(choice.title).toBe(system.agentName);
    const atSales = await bus.waitForInbound(
      (e) => e.type === 'text' && e.text === 'and sales?',
      'the sales message',
    );
    expect(atSales.phone_number_id).toBe(phoneNumberId);
    await bus.reply({ waID: atSales.waID, message_type: 'text', text: 'Sales line here' });
    const salesReply = await phone.waitFor(
      user,
      (e) => Phone.text(e) === 'Sales line here',
      'the sales reply',
    );
    expect(salesReply.phone_number_id).toBe(phoneNumberId);
    // Neither agent saw the other number's conversation.
    expect(bus.inbound.some((e) => e.phone_number_id === supportNumber)).toBe(false);
    expect(supportBus.inbound.some((e) => e.phone_number_id === phoneNumberId)).toBe(false);
  });
});
