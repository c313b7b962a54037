import { describe, expect, it } from 'vitest';
import { eventually, PollTimeoutError } from './poll.js';

describe('eventually', () => {
  it('resolves with the first value that is not undefined, null or false', async () => {
    const answers = [undefined, null, false, 'ready'];
    let calls = 0;
    const value = await eventually(() => answers[calls++], { intervalMs: 1 });
    expect(value).toBe('ready');
    expect(calls).toBe(4);
  });

  it('awaits asynchronous checks', async () => {
    let calls = 0;
    await expect(eventually(async () => ++calls >= 3, { intervalMs: 1 })).resolves.toBe(true);
  });

  it('names what it waited for and adds the detail when the deadline passes', async () => {
    const error = await eventually(() => false, {
      what: 'the menu',
      timeoutMs: 20,
      intervalMs: 5,
      detail: () => 'frames: []',
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PollTimeoutError);
    expect((error as Error).message).toBe('timed out after 20 ms waiting for the menu\nframes: []');
  });

  it('still runs the check once when the deadline is already gone', async () => {
    await expect(eventually(() => 'late but true', { timeoutMs: -1 })).resolves.toBe('late but true');
  });

  it('fails at once on a thrown error unless asked to retry', async () => {
    let calls = 0;
    const boom = () => {
      calls += 1;
      throw new Error('refused');
    };
    await expect(eventually(boom, { timeoutMs: 1000 })).rejects.toThrow('refused');
    expect(calls).toBe(1);
  });

  it('keeps the last error as the cause when retrying errors', async () => {
    let calls = 0;
    const flaky = () => {
      calls += 1;
      if (calls < 3) throw new Error(`refused ${calls}`);
      return calls;
    };
    await expect(eventually(flaky, { retryErrors: true, intervalMs: 1 })).resolves.toBe(3);
    const error = (await eventually(
      () => {
        throw new Error('still refused');
      },
      { retryErrors: true, timeoutMs: 10, intervalMs: 2, what: 'kafka' },
    ).catch((caught: unknown) => caught)) as Error;
    expect(error.message).toBe('timed out after 10 ms waiting for kafka (last error: still refused)');
    expect((error.cause as Error).message).toBe('still refused');
  });
});
