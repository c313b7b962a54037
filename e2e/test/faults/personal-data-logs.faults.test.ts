import { randomInt, randomUUID } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import { userRef } from '@wa-broker/shared/log-privacy';
import type { OperatorConversation } from '@wa-broker/shared/operator-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentBus } from '../../src/agent-bus.js';
import { recordFigures } from '../../src/figures.js';
import { type OperatorSocket, openOperatorSocket } from '../../src/operator-socket.js';
import { signInOperator } from '../../src/operators.js';
import { isE2eAgent, Phone } from '../../src/phone.js';
import { type System, startSystem } from '../../src/system.js';

// Issue 24 §4: no phone number, BSUID, username, profile name or message text in any service's log line at info
// or above, the way the security check greps for the Graph token. Every process logs at info (what runs in
// production); a real conversation goes through all of them: text, a photo with a caption, a username-only
// user, an operator's claim, reply, note and search, #exit, replies after it (refused by the agent backend, and
// by the router when the agent writes to its -out topic), and a notification with template parameters.
let system: System;
let phone: Phone;
let socket: OperatorSocket | undefined;
let bus: AgentBus | undefined;
const figures: Record<string, unknown> = {};
const token = () => randomUUID().slice(0, 8);
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

const ana = { phone: `1555${digits(7)}`, name: `Zephyrine Quillfeather${token()}` };
const mei = { username: `oriel.${token()}`, name: `Oriel Vantablack${token()}` };
const notified = `1555${digits(7)}`;
const written = {
  anaFirst: `my parcel smells of lavender ${token()}`,
  caption: `the lid is cracked ${token()}`,
  meiFirst: `no phone to show you ${token()}`,
  reply: `a new lid ships today ${token()}`,
  note: `customer sounded upset ${token()}`,
  query: `lavender${token()}`,
  afterExit: `are you still there ${token()}`,
  parameters: [`Customer${token()}`, `#${digits(6)}`],
};

beforeAll(async () => {
  system = await startSystem({
    logLevel: 'info',
    simulatorEnv: { LOG_LEVEL: 'info' },
    notify: true,
    media: true,
  });
  phone = new Phone(system.simulator.url);
  bus = new AgentBus(system.kafkaBrokers, system.agentTopics);
  await bus.start();
}, 180_000);

afterAll(async () => {
  socket?.close();
  await bus?.stop();
  await system?.stop();
}, 60_000);

async function conversationNamed(name: string): Promise<OperatorConversation> {
  const open = socket as OperatorSocket;
  return eventually(async () => (await open.conversations()).find((c) => c.name === name), {
    what: `the inbox to list ${name}`,
    timeoutMs: 20_000,
    intervalMs: 200,
  });
}

async function simUser(body: Record<string, unknown>): Promise<{ userId: string }> {
  const response = await fetch(`${system.simulator.url}/sim/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`POST /sim/users: ${response.status} ${await response.text()}`);
  return (await response.json()) as { userId: string };
}

const atInfoOrAbove = new Set(['info', 'warn', 'error', 'fatal']);

/** A line's level; a line that is not pino's JSON (a crash, a warning of Node's) counts as above info. */
function levelOf(line: string): string {
  try {
    return String((JSON.parse(line) as { level?: unknown }).level ?? 'info');
  } catch {
    return 'fatal';
  }
}

const serviceOf = (line: string) => {
  try {
    return String((JSON.parse(line) as { service?: unknown }).service);
  } catch {
    return 'unknown';
  }
};

describe('personal data in logs', () => {
  it('no phone, BSUID, username, name or text in any line at info or above; the user’s pseudonym is there', async () => {
    // A user by phone: text, the menu, the e2e agent, a photo with a caption.
    await phone.act(ana.phone, { type: 'text', text: written.anaFirst, name: ana.name });
    await phone.choose(ana.phone, isE2eAgent);
    await phone.act(ana.phone, { type: 'image', caption: written.caption });
    // A username-only user: no phone ever shared, a BSUID and a username.
    const meiId = (await simUser({ username: mei.username, name: mei.name, country_code: 'SG' })).userId;
    await phone.say(meiId, written.meiFirst, mei.name);
    await phone.choose(meiId, isE2eAgent);

    // An operator claims Ana, answers, leaves a note and searches.
    const admin = await signInOperator(
      system.agent.url,
      system.operatorAdmin.email,
      system.operatorAdmin.password,
    );
    socket = await openOperatorSocket(system.agent.url, admin.cookie);
    const anaConversation = await conversationNamed(ana.name);
    const anaKey = anaConversation.wa_id;
    expect(anaKey).toMatch(/^US\.\d{20}$/);
    expect(anaConversation.phone).toBe(ana.phone);
    await conversationNamed(mei.name);
    expect(await socket.request({ type: 'claim', wa_id: anaKey })).toMatchObject({ type: 'assignment' });
    const reply = (text: string) =>
      socket?.request({
        type: 'send_reply',
        wa_id: anaKey,
        idempotency_key: `pdl-${randomUUID()}`,
        reply: { kind: 'text', text },
      });
    expect(await reply(written.reply)).toMatchObject({ type: 'reply_accepted' });
    await phone.waitFor(ana.phone, (entry) => Phone.text(entry) === written.reply, 'the operator’s reply');
    expect(await socket.request({ type: 'add_note', wa_id: anaKey, text: written.note })).toMatchObject({
      type: 'note',
    });
    expect(await socket.request({ type: 'search', query: written.query })).toMatchObject({
      type: 'search_results',
    });

    // #exit, then replies nobody may send (not in session): the operator's, refused by the agent backend, and
    // one written straight to the agent's -out topic, refused by the router with a warning about Ana.
    const menusBefore = (await phone.received(ana.phone)).filter((e) => e.type === 'interactive').length;
    await phone.say(ana.phone, '#exit', ana.name);
    await eventually(
      async () =>
        (await phone.received(ana.phone)).filter((e) => e.type === 'interactive').length > menusBefore,
      { what: 'the menu again after #exit', timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(await reply(written.afterExit)).toMatchObject({ type: 'error' });
    const refused = await (bus as AgentBus).reply({
      waID: anaKey,
      message_type: 'text',
      text: written.afterExit,
    });
    const error = await (bus as AgentBus).waitForError(
      (e) => e.idempotency_key === refused,
      'not_in_session',
    );
    expect(error.code).toBe('not_in_session');

    // A notification with template parameters to a third user.
    const created = await fetch(`${system.notify?.url}/api/v1/notifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.notifyKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        template: { name: 'order_shipped', language: 'en_US' },
        recipients: [{ to: `+${notified}`, parameters: { body: written.parameters } }],
      }),
    });
    expect(created.status).toBeLessThan(300);
    await phone.waitFor(notified, (entry) => entry.type === 'template', 'the notification');

    const anaRef = userRef(anaKey);
    // The router's refusal of the reply after #exit names Ana by her pseudonym (its line follows the error).
    await eventually(() => system.allLogs().some((l) => serviceOf(l) === 'router' && l.includes(anaRef)), {
      what: `the router's line about ${anaRef}`,
      timeoutMs: 10_000,
      intervalMs: 200,
    });

    const checked = system.allLogs().filter((line) => atInfoOrAbove.has(levelOf(line)));
    const personal = [
      ana.phone,
      anaKey,
      notified,
      meiId,
      mei.username,
      ana.name,
      mei.name,
      ...Object.values(written).flat(),
    ];
    const leaks = checked.flatMap((line) =>
      personal.filter((value) => line.includes(value)).map((value) => ({ value, line: line.slice(0, 400) })),
    );
    const withAna = checked.filter((line) => line.includes(anaRef));
    const withMei = checked.filter((line) => line.includes(userRef(meiId)));
    Object.assign(figures, {
      linesChecked: checked.length,
      services: [...new Set(checked.map(serviceOf))].sort(),
      personalValues: personal.length,
      leaks: leaks.length,
      anaRefLines: withAna.length,
      anaRefServices: [...new Set(withAna.map(serviceOf))].sort(),
      meiRefLines: withMei.length,
    });
    recordFigures('personal-data-logs', figures);
    expect(leaks, JSON.stringify(leaks, null, 1).slice(0, 4000)).toEqual([]);
    expect(checked.length).toBeGreaterThanOrEqual(100);
    // Correlation still works: the same pseudonym on the simulator's lines and the router's.
    expect([...new Set(withAna.map(serviceOf))]).toEqual(expect.arrayContaining(['wa-simulator', 'router']));
    expect(withMei.length).toBeGreaterThan(0);
  });
});
