import { describe, expect, it } from 'vitest';
import { agent, agents, texts } from '../testing/domain-fixtures.js';
import { buildMenu, menuPageCount, parseMenuChoice } from './menu.js';

function rowsOf(menu: ReturnType<typeof buildMenu>) {
  if (menu.type !== 'interactive' || menu.interactive.type !== 'list') throw new Error('not a list');
  return menu.interactive.action.sections.flatMap((section) => section.rows);
}

describe('buildMenu', () => {
  it('uses reply buttons for 1 and 3 agents', () => {
    for (const count of [1, 3]) {
      const menu = buildMenu(agents(count), texts);
      expect(menu.type === 'interactive' && menu.interactive.type).toBe('button');
      if (menu.type === 'interactive' && menu.interactive.type === 'button')
        expect(menu.interactive.action.buttons.map((b) => b.reply.id)).toEqual(
          agents(count).map((a) => `agent:${a.id}`),
        );
    }
  });

  it('uses one list for 4 and 10 agents', () => {
    expect(rowsOf(buildMenu(agents(4), texts))).toHaveLength(4);
    const rows = rowsOf(buildMenu(agents(10), texts));
    expect(rows).toHaveLength(10);
    expect(rows.every((row) => row.id.startsWith('agent:'))).toBe(true);
  });

  it('pages 11 agents: 9 and a "more" row, then the rest and a way back', () => {
    const all = agents(11);
    expect(menuPageCount(all.length)).toBe(2);
    const first = rowsOf(buildMenu(all, texts, 0));
    expect(first).toHaveLength(10);
    expect(first[9]).toEqual({ id: 'menu:page:1', title: 'More agents…' });
    const second = rowsOf(buildMenu(all, texts, 1));
    expect(second.map((row) => row.id)).toEqual(['agent:a10', 'agent:a11', 'menu:page:0']);
  });

  it('clamps a page past the end to the last page', () => {
    expect(rowsOf(buildMenu(agents(11), texts, 7))[0]?.id).toBe('agent:a10');
  });

  it("cuts names and descriptions to Meta's limits", () => {
    const long = agent('x', { name: 'A very long department name indeed', description: 'd'.repeat(100) });
    const list = rowsOf(buildMenu([long, ...agents(3)], texts));
    expect(Array.from(list[0]?.title ?? '').length).toBeLessThanOrEqual(24);
    expect(list[0]?.title.endsWith('…')).toBe(true);
    expect(Array.from(list[0]?.description ?? '')).toHaveLength(72);
    const buttons = buildMenu([long], texts);
    if (buttons.type !== 'interactive' || buttons.interactive.type !== 'button')
      throw new Error('not buttons');
    expect(Array.from(buttons.interactive.action.buttons[0]?.reply.title ?? '')).toHaveLength(20);
  });

  it('does not split an emoji when cutting', () => {
    const emoji = agent('e', { name: `${'x'.repeat(18)}😀😀😀😀` });
    const buttons = buildMenu([emoji], texts);
    if (buttons.type !== 'interactive' || buttons.interactive.type !== 'button')
      throw new Error('not buttons');
    expect(buttons.interactive.action.buttons[0]?.reply.title).toBe(`${'x'.repeat(18)}😀…`);
  });
});

describe('parseMenuChoice', () => {
  it('reads agent rows and page rows, and nothing else', () => {
    expect(parseMenuChoice('agent:42')).toEqual({ kind: 'agent', agentId: '42' });
    expect(parseMenuChoice('menu:page:2')).toEqual({ kind: 'page', page: 2 });
    expect(parseMenuChoice('menu:page:x')).toBeUndefined();
    expect(parseMenuChoice('agent_A-in')).toBeUndefined();
  });
});
