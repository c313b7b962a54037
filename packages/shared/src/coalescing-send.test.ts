import { describe, expect, it } from 'vitest';
import { coalescingSend } from './coalescing-send.js';

/** A producer whose requests finish when the test says, recording what each carried. */
function fakeSend() {
  const requests: { values: string[]; finish: (error?: Error) => void }[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const send = (messages: string[]) =>
    new Promise<void>((resolve, reject) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      requests.push({
        values: [...messages],
        finish: (error) => {
          inFlight -= 1;
          if (error) reject(error);
          else resolve();
        },
      });
    });
  return { send, requests, mostInFlight: () => mostInFlight };
}

const record = (value: string): string[] => [value];
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('coalescingSend', () => {
  it('sends the first record at once, then what came meanwhile in one request, in order, one request at a time', async () => {
    const fake = fakeSend();
    const produce = coalescingSend(fake.send);
    const first = produce(record('a'));
    const later = [produce(record('b')), produce(record('c')), produce(record('d'))];
    await tick();
    expect(fake.requests.map((request) => request.values)).toEqual([['a']]);
    fake.requests[0]?.finish();
    await first;
    await tick();
    expect(fake.requests.map((request) => request.values)).toEqual([['a'], ['b', 'c', 'd']]);
    fake.requests[1]?.finish();
    await Promise.all(later);
    expect(fake.mostInFlight()).toBe(1);
  });

  it('fails only the records of a failed request; the next ones still go', async () => {
    const fake = fakeSend();
    const produce = coalescingSend(fake.send);
    const first = produce(record('a'));
    const second = produce(record('b'));
    const third = produce(record('c'));
    await tick();
    fake.requests[0]?.finish(new Error('broker down'));
    await expect(first).rejects.toThrow('broker down');
    await tick();
    expect(fake.requests.map((request) => request.values)).toEqual([['a'], ['b', 'c']]);
    fake.requests[1]?.finish();
    await expect(Promise.all([second, third])).resolves.toBeDefined();
  });

  it('keeps a caller’s group whole and in one request, and starts a new request past the batch size', async () => {
    const fake = fakeSend();
    const produce = coalescingSend(fake.send, 3);
    const first = produce(['a']);
    const rest = [produce(['b', 'c']), produce(['d', 'e']), produce(['f', 'g', 'h', 'i'])];
    await tick();
    fake.requests[0]?.finish();
    await first;
    await tick();
    fake.requests[1]?.finish();
    await tick();
    fake.requests[2]?.finish();
    await tick();
    fake.requests[3]?.finish();
    await Promise.all(rest);
    expect(fake.requests.map((request) => request.values)).toEqual([
      ['a'],
      ['b', 'c'],
      ['d', 'e'],
      ['f', 'g', 'h', 'i'],
    ]);
    expect(fake.mostInFlight()).toBe(1);
  });
});
