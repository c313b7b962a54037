import { eventually } from '@wa-broker/infra/poll';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentBus } from '../src/agent-bus.js';
import { type ChatEntry, Phone } from '../src/phone.js';
import { phoneNumberId, secrets } from '../src/system-env.js';
import { systemForFile } from '../src/system-for-file.js';

/**
 * Two business numbers in one deployment (issue 17 §2), through the simulator: the sales number offers the e2e
 * agent, the support number (its own token at the simulator) a second agent; each number's users see its agents
 * and get replies from it. The numbers are registered with the admin, as an operator would.
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
    expect(first.phone_number_id).toBe(supportNumber);
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
