import { describe, expect, it } from 'vitest';
import { parseCommand } from './commands.js';
import { decideCommand } from './handle-command.js';
import { commandReply } from './replies.js';

describe('parseCommand', () => {
  it('reads the three commands, case-insensitively', () => {
    expect(parseCommand('/help')).toEqual({ kind: 'help' });
    expect(parseCommand(' /status a1001 ')).toEqual({ kind: 'status', order: 'A1001' });
    expect(parseCommand('/QUOTE msft')).toEqual({ kind: 'quote', symbol: 'MSFT' });
  });

  it('asks for the argument, and treats other text as a request for help', () => {
    expect(parseCommand('/quote')).toEqual({ kind: 'usage', command: 'quote' });
    expect(parseCommand('/status a b')).toEqual({ kind: 'usage', command: 'status' });
    expect(parseCommand('/weather')).toEqual({ kind: 'unknown' });
    expect(parseCommand('hello')).toEqual({ kind: 'help' });
  });
});

describe('decide and reply', () => {
  it('answers help at once and queues the commands that call the API', () => {
    expect(decideCommand({ kind: 'help' }).kind).toBe('answer');
    expect(decideCommand({ kind: 'quote', symbol: 'AAPL' })).toEqual({
      kind: 'enqueue',
      command: { kind: 'quote', symbol: 'AAPL' },
    });
  });

  it('turns API failures into plain words', () => {
    const quote = { kind: 'quote', symbol: 'AAPL' } as const;
    expect(commandReply(quote, { ok: false, failure: 'timeout' })).toEqual({
      kind: 'text',
      text: 'Sorry, the price service is taking too long to answer. Please try again in a minute.',
    });
    expect(commandReply(quote, { ok: false, failure: 'not_found' })).toEqual({
      kind: 'text',
      text: "I don't know the symbol AAPL.",
    });
  });
});
