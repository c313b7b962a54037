import { describe, expect, it } from 'vitest';
import { type CoalescerOptions, CoalescingSender } from './coalescing-sender.js';

interface Gate {
  release: () => void;
  fail: (error: Error) => void;
}

function recorder(overrides: Partial<CoalescerOptions<string>> = {}) {
  const batches: string[][] = [];
  const gates: Gate[] = [];
  let manual = false;
  const sender = new CoalescingSender<string>({
    send: (items) => {
      batches.push(items);
      if (!manual) return Promise.resolve();
      return new Promise<void>((resolve, reject) => gates.push({ release: resolve, fail: reject }));
    },
    lingerMs: 1,
    maxBatchBytes: 1000,
    timeoutMs: 1000,
    maxQueuedBytes: 10_000,
    ...overrides,
  });
  return { sender, batches, gates, holdSends: () => (manual = true) };
}

const settled = (promise: Promise<void>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code,
  );

describe('CoalescingSender', () => {
  it('coalesces concurrent requests into one send and resolves each after it', async () => {
    const { sender, batches } = recorder();
    const results = await Promise.all(
      [sender.submit(['a1', 'a2'], 10), sender.submit(['b1'], 10)].map(settled),
    );
    expect(results).toEqual(['ok', 'ok']);
    expect(batches).toEqual([['a1', 'a2', 'b1']]);
  });

  it('keeps one send in flight and queues later requests behind it, in order', async () => {
    const { sender, batches, gates, holdSends } = recorder();
    holdSends();
    const first = settled(sender.submit(['a'], 10));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = settled(sender.submit(['b'], 10));
    const third = settled(sender.submit(['c'], 10));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(batches).toEqual([['a']]);
    gates[0]?.release();
    expect(await first).toBe('ok');
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(batches).toEqual([['a'], ['b', 'c']]);
    gates[1]?.release();
    expect([await second, await third]).toEqual(['ok', 'ok']);
  });

  it('rejects every request of a failed send with kafka_unavailable', async () => {
    const { sender, gates, holdSends } = recorder();
    holdSends();
    const a = settled(sender.submit(['a'], 10));
    const b = settled(sender.submit(['b'], 10));
    await new Promise((resolve) => setTimeout(resolve, 5));
    gates[0]?.fail(new Error('broker down'));
    expect([await a, await b]).toEqual(['kafka_unavailable', 'kafka_unavailable']);
  });

  it('times a request out and never sends it if it was still queued', async () => {
    const { sender, batches, gates, holdSends } = recorder({ timeoutMs: 20 });
    holdSends();
    const stuck = settled(sender.submit(['a'], 10));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const queued = settled(sender.submit(['b'], 10));
    expect([await stuck, await queued]).toEqual(['kafka_unavailable', 'kafka_unavailable']);
    // More than the timeout after the send started, wherever the timers fired (ms clocks round: not `now` itself).
    await new Promise((resolve) => setTimeout(resolve, 25));
    expect(sender.isStalled()).toBe(true);
    gates[0]?.release();
    await sender.drain();
    expect(batches).toEqual([['a']]);
  });

  it('splits batches at the byte limit and rejects when the queue is full', async () => {
    const { sender, batches } = recorder({ maxBatchBytes: 25, maxQueuedBytes: 40 });
    const results = [sender.submit(['a'], 10), sender.submit(['b'], 10), sender.submit(['c'], 10)].map(
      settled,
    );
    const rejected = settled(sender.submit(['d'], 35)); // 10 still queued + 35 > 40
    expect(await Promise.all(results)).toEqual(['ok', 'ok', 'ok']);
    expect(await rejected).toBe('kafka_unavailable');
    expect(batches).toEqual([['a', 'b'], ['c']]);
  });
});
