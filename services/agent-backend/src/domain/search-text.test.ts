import { describe, expect, it } from 'vitest';
import { literalPattern, phoneDigits, snippetAround } from './search-text.js';

describe('search text', () => {
  it('matches the query literally, in any case', () => {
    expect(literalPattern('Order #12 (late)').test('my order #12 (LATE) again')).toBe(true);
    expect(literalPattern('a.b').test('axb')).toBe(false);
    expect(literalPattern('.*').test('anything')).toBe(false);
  });

  it('reads a phone as its digits only when it looks like a phone', () => {
    expect(phoneDigits('+55 (11) 9123-4567')).toBe('551191234567');
    expect(phoneDigits('refund')).toBeNull();
    expect(phoneDigits('12')).toBeNull();
  });

  it('cuts long texts around the match', () => {
    const text = `${'a'.repeat(200)} refund please ${'b'.repeat(200)}`;
    const snippet = snippetAround(text, literalPattern('refund'), 40);
    expect(snippet).toContain('refund');
    expect(snippet.startsWith('…') && snippet.endsWith('…')).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(42);
    expect(snippetAround('short one', literalPattern('one'))).toBe('short one');
  });
});
