import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limits.js';

describe('RateLimiter', () => {
  it('allows a burst up to capacity, then refills at the sustained rate', () => {
    const pair = new RateLimiter({ capacity: 3, refillPerSecond: 1 / 6 });
    expect([0, 0, 0, 0].map(() => pair.tryTake('u1', 0))).toEqual([true, true, true, false]);
    expect(pair.tryTake('u1', 5_000)).toBe(false);
    expect(pair.tryTake('u1', 6_001)).toBe(true);
    expect(pair.tryTake('u2', 6_001)).toBe(true);
  });

  it('holds 80 per second per number', () => {
    const number = new RateLimiter({ capacity: 80, refillPerSecond: 80 });
    const allowed = Array.from({ length: 100 }, () => number.tryTake('n', 1_000)).filter(Boolean).length;
    expect(allowed).toBe(80);
    expect(number.tryTake('n', 1_050)).toBe(true);
  });
});
