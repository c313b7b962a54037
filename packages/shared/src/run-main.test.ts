import { describe, expect, it, vi } from 'vitest';
import { runMain } from './run-main.js';

/** The lines runMain logs, parsed (pino needs only `write`). */
function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(JSON.parse(line)) } };
}

async function failingStart(): Promise<void> {
  throw new Error('invalid configuration: GRAPH_API_TOKEN', { cause: new Error('is required') });
}

describe('runMain', () => {
  it('logs the whole error (message with its cause, stack) as one fatal line and exits 1', async () => {
    const { lines, destination } = capture();
    const exit = vi.fn();
    await runMain('router', failingStart, { destination, exit });
    expect(exit).toHaveBeenCalledExactlyOnceWith(1);
    expect(lines).toHaveLength(1);
    const [line] = lines as [{ level: string; service: string; msg: string; err: Record<string, string> }];
    expect(line).toMatchObject({ level: 'fatal', service: 'router', msg: 'main failed' });
    expect(line.err.type).toBe('Error');
    expect(line.err.message).toBe('invalid configuration: GRAPH_API_TOKEN: is required');
    expect(line.err.stack).toContain('at failingStart');
    expect(line.err.stack).toContain('caused by: Error: is required');
  });

  it('logs a thrown non-Error as it is', async () => {
    const { lines, destination } = capture();
    const exit = vi.fn();
    await runMain('replay', () => Promise.reject('no brokers'), { destination, exit });
    expect(exit).toHaveBeenCalledWith(1);
    expect(lines[0]).toMatchObject({ level: 'fatal', err: 'no brokers' });
  });

  it('neither logs nor exits when main resolves', async () => {
    const { lines, destination } = capture();
    const exit = vi.fn();
    await runMain('admin', async () => undefined, { destination, exit });
    expect(exit).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });
});
