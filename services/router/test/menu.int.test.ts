import { randomUUID } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

// Agents are announced on the agent-changes topic while the router runs; the menu is read at the fake Graph API.
let h: Harness;
let agents = 0;
let user = 0;
type Interactive = {
  type: string;
  action: {
    buttons?: { reply: { id: string; title: string } }[];
    sections?: { rows: { id: string; title: string; description?: string }[] }[];
  };
};

beforeAll(async () => {
  h = await startHarness();
  await h.router.start();
});
afterAll(async () => h?.stop());

async function withActiveAgents(count: number) {
  while (agents < count) {
    agents++;
    const long = agents === 4;
    await h.putAgent(
      agents,
      long ? 'Customer Success and Renewals' : `Agent ${agents}`,
      true,
      long ? 'Renewals, upgrades, invoices, refunds, contract questions and everything else too' : '',
    );
  }
  await eventually(() => h.router.registry.list().filter((a) => a.active).length === count, {
    what: `${count} agents`,
  });
}

async function nextMenu(waID: string, send: () => Promise<unknown>): Promise<Interactive> {
  const before = h.graph.to(waID).length;
  await send();
  const request = await eventually(() => h.graph.to(waID)[before], { what: 'menu' });
  expect(request.body.type).toBe('interactive');
  return request.body.interactive as Interactive;
}

const menuFor = async (count: number) => {
  await withActiveAgents(count);
  const waID = `1666${h.id.replace(/\D/g, '').slice(0, 4)}${String(++user).padStart(4, '0')}`;
  return { waID, menu: await nextMenu(waID, () => h.text(waID, 'hi')) };
};
const rowsOf = (menu: Interactive) => menu.action.sections?.[0]?.rows ?? [];
const listReply = (waID: string, id: string) =>
  h.inbound(waID, {
    id: `wamid.${randomUUID()}`,
    timestamp: String(Math.floor(Date.now() / 1000)),
    type: 'interactive',
    interactive: { type: 'list_reply', list_reply: { id, title: 'x' } },
  });

describe('menu variants end to end', () => {
  it('shows reply buttons for 1 and for 3 agents', async () => {
    const one = (await menuFor(1)).menu;
    expect(one.type).toBe('button');
    expect(one.action.buttons?.map((b) => b.reply.id)).toEqual(['agent:1']);
    const three = (await menuFor(3)).menu;
    expect(three.type).toBe('button');
    expect(three.action.buttons?.map((b) => b.reply)).toEqual(
      [1, 2, 3].map((i) => ({ id: `agent:${i}`, title: `Agent ${i}` })),
    );
  });

  it('shows a list for 4 and for 10 agents, within Meta’s lengths', async () => {
    const four = (await menuFor(4)).menu;
    expect(four.type).toBe('list');
    expect(rowsOf(four).map((r) => r.id)).toEqual([1, 2, 3, 4].map((i) => `agent:${i}`));
    const long = rowsOf(four)[3];
    expect(long?.title.length).toBeLessThanOrEqual(24);
    expect(long?.description?.length).toBeLessThanOrEqual(72);
    const ten = (await menuFor(10)).menu;
    expect(ten.type).toBe('list');
    expect(rowsOf(ten).map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, i) => `agent:${i + 1}`));
  }, 45_000);

  it('pages 11 agents with a "more" row, and connects from the second page', async () => {
    const { waID, menu } = await menuFor(11);
    const first = rowsOf(menu);
    expect(first).toHaveLength(10);
    expect(first.slice(0, 9).map((r) => r.id)).toEqual(Array.from({ length: 9 }, (_, i) => `agent:${i + 1}`));
    expect(first[9]).toEqual({ id: 'menu:page:1', title: 'More agents…' });
    const second = rowsOf(await nextMenu(waID, () => listReply(waID, 'menu:page:1')));
    expect(second.map((r) => r.id)).toEqual(['agent:10', 'agent:11', 'menu:page:0']);
    await listReply(waID, 'agent:11');
    await eventually(
      () => h.graph.to(waID).find((r) => JSON.stringify(r.body).includes('Connecting you to Agent 11')),
      { what: 'connected to agent 11' },
    );
  }, 45_000);
});
