import { describe, expect, it } from 'vitest';
import { memoryDedupeStore } from './dedupe.js';

describe('memoryDedupeStore', () => {
  it('remembers ids until they expire', () => {
    let clock = 0;
    const store = memoryDedupeStore({ ttlMs: 1000, now: () => clock });
    expect(store.has('e1')).toBe(false);
    store.add('e1');
    expect(store.has('e1')).toBe(true);
    clock = 1000;
    expect(store.has('e1')).toBe(false);
  });

  it('forgets the oldest ids beyond its capacity', () => {
    const store = memoryDedupeStore({ maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) store.add(id);
    expect([store.has('a'), store.has('b'), store.has('c')]).toEqual([false, true, true]);
  });
});
