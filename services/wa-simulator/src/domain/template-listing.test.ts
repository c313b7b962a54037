import { describe, expect, it } from 'vitest';
import { templatePage } from './template-listing.js';
import { TemplateRegistry } from './template-registry.js';

const now = new Date('2026-12-01T10:00:00Z');
const registry = new TemplateRegistry(['1']);
registry.reset(
  ['a_one', 'a_two', 'b_one', 'a_three'].map((name) => ({
    name,
    language: 'en_US',
    category: name === 'b_one' ? ('MARKETING' as const) : ('UTILITY' as const),
    components: [{ type: 'BODY' as const, text: 'Hello.' }],
  })),
  now,
);
const url = (query: Record<string, string>) => `next?${new URLSearchParams(query)}`;

// Graph's cursor paging: cursors at the page's ends, `next`/`previous` only when there is such a page.
describe('templatePage', () => {
  it('pages a filtered list forwards and backwards', () => {
    const first = templatePage(registry.list('1'), { name: 'a_', limit: '2', fields: 'name' }, url);
    expect(first.ok && first.body.data).toEqual([
      { id: expect.any(String), name: 'a_one' },
      { id: expect.any(String), name: 'a_two' },
    ]);
    const paging = (first.ok ? first.body.paging : {}) as { cursors: { after: string }; next?: string };
    expect(paging).not.toHaveProperty('previous');
    expect(paging.next).toContain(`after=${paging.cursors.after}`);
    const second = templatePage(
      registry.list('1'),
      { name: 'a_', limit: '2', after: paging.cursors.after },
      url,
    );
    expect(second.ok && (second.body.data as { name: string }[]).map((t) => t.name)).toEqual(['a_three']);
    expect(second.ok && second.body.paging).toEqual({
      cursors: { before: expect.any(String), after: expect.any(String) },
      previous: expect.stringContaining('before='),
    });
  });

  it('filters by status, category and language, answers an empty page as {data: []}, refuses bad input', () => {
    const marketing = templatePage(registry.list('1'), { category: 'marketing' }, url);
    expect(marketing.ok && (marketing.body.data as { name: string }[]).map((t) => t.name)).toEqual(['b_one']);
    expect(templatePage(registry.list('1'), { status: 'PAUSED' }, url)).toEqual({
      ok: true,
      body: { data: [] },
    });
    expect(templatePage(registry.list('1'), { limit: '0' }, url).ok).toBe(false);
    expect(templatePage(registry.list('1'), { after: 'not-a-cursor' }, url).ok).toBe(false);
  });
});
