import { describe, expect, it } from 'vitest';
import { NumberThroughput, PairLimiter } from './rate-limits.js';

describe('PairLimiter', () => {
  it('allows a burst up to capacity, then refills at the sustained rate', () => {
    const pair = new PairLimiter({ capacity: 3, refillPerSecond: 1 / 6 });
    expect([0, 0, 0, 0].map(() => pair.tryTake('u1', 0))).toEqual([true, true, true, false]);
    expect(pair.tryTake('u1', 5_000)).toBe(false);
    expect(pair.tryTake('u1', 6_001)).toBe(true);
    expect(pair.tryTake('u2', 6_001)).toBe(true);
  });
});

describe('NumberThroughput', () => {
  it('holds 80 in any 1 s window, not 80 per calendar second or a bucket of 80 refilling meanwhile', () => {
    const number = new NumberThroughput(80);
    // 80 spread over the first half second, then the 81st at 990 ms: still within 1 s of the first.
    const first = Array.from({ length: 80 }, (_, i) => number.tryTake('n', i * 6));
    expect(first.every(Boolean)).toBe(true);
    expect(number.tryTake('n', 990)).toBe(false);
    // Each send frees its place exactly 1 s after it: the first at 1000 ms, the second at 1006 ms.
    expect(number.tryTake('n', 1_000)).toBe(true);
    expect(number.tryTake('n', 1_005)).toBe(false);
    expect(number.tryTake('n', 1_006)).toBe(true);
  });

  it('lets a sender spaced at exactly 1 s / limit through forever', () => {
    const number = new NumberThroughput(80);
    const allowed = Array.from({ length: 800 }, (_, i) => number.tryTake('n', i * 12.5));
    expect(allowed.every(Boolean)).toBe(true);
    expect(number.tryTake('n', 799 * 12.5 + 1)).toBe(false);
  });

  it('counts each number apart', () => {
    const number = new NumberThroughput(1);
    expect(number.tryTake('a', 0)).toBe(true);
    expect(number.tryTake('b', 0)).toBe(true);
    expect(number.tryTake('a', 999)).toBe(false);
  });
});
