import { describe, expect, it } from 'vitest';
import {
  maxInAnyWindow,
  perSecond,
  ThroughputWindow,
  tightestSpanMs,
  withinTokenBucket,
} from './meta-throughput.js';

describe('the per-number window', () => {
  it('refuses a send when the limit was accepted in the 1 s before it, as maxInAnyWindow counts', () => {
    const window = new ThroughputWindow();
    const times = [0, 100, 200, 999, 1_000, 1_099, 1_100];
    const accepted = times.filter((t) => window.tryTake('n', 3, t));
    expect(accepted).toEqual([0, 100, 200, 1_000, 1_100]);
    expect(maxInAnyWindow(accepted)).toBe(3);
    expect(maxInAnyWindow([0, 100, 200, 999])).toBe(4);
    expect(tightestSpanMs(accepted, 3)).toBe(1_000);
    expect(tightestSpanMs([0, 1], 3)).toBeUndefined();
  });

  it('counts sends per second from the earliest, whatever their order, with empty seconds as 0', () => {
    expect(perSecond([2_500, 0, 999, 1_000, 3_100])).toEqual([2, 1, 1, 1]);
    expect(perSecond([5_000, 8_200])).toEqual([1, 0, 0, 1]);
    expect(perSecond([])).toEqual([]);
  });
});

describe('the pair bucket', () => {
  it('passes a burst then the refill rate, and fails one send too early', () => {
    const rule = { capacity: 2, refillPerSecond: 1 };
    expect(withinTokenBucket([0, 0, 1_000, 2_000], rule)).toBe(true);
    expect(withinTokenBucket([0, 0, 999], rule)).toBe(false);
  });
});
