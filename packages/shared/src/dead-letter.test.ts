import { describe, expect, it } from 'vitest';
import { deadLetterKey, deadLetterRecord, toDeadLetter } from './dead-letter.js';

const source = { topic: 'webhook', partition: 2, offset: '41' };
const at = new Date('2026-03-01T12:00:00Z');

describe('toDeadLetter', () => {
  it('builds the one shape, with the source coordinates, a reason code and the raw bytes in base64', () => {
    const record = toDeadLetter({
      reason: 'unreadable',
      text: 'unreadable webhook event',
      source,
      at,
      raw: Buffer.from('{x'),
    });
    expect(record).toEqual({
      v: 1,
      reason: 'unreadable',
      text: 'unreadable webhook event',
      source,
      at: '2026-03-01T12:00:00.000Z',
      raw_payload: Buffer.from('{x').toString('base64'),
    });
    expect(deadLetterRecord.parse(record)).toEqual(record);
    expect(deadLetterKey(record)).toBe('webhook');
  });

  it('keeps who it concerns and Meta’s error, keyed by the user', () => {
    const record = toDeadLetter({
      reason: 'send_failed',
      text: 'sending failed after 3 attempt(s)',
      source: { topic: 'agent_A-out', partition: 0, offset: '7' },
      at,
      waID: '15551234567',
      agent: 'agent_A',
      idempotency_key: 'k1',
      meta_error: { code: 131026, title: 'Message undeliverable' },
      raw: { waID: '15551234567', message_type: 'text', text: 'hi' },
    });
    expect(deadLetterKey(record)).toBe('15551234567');
    expect(JSON.parse(Buffer.from(record.raw_payload ?? '', 'base64').toString())).toMatchObject({
      text: 'hi',
    });
  });

  it('refuses a record without its source coordinates or with an unknown reason', () => {
    expect(() =>
      toDeadLetter({
        reason: 'send_failed',
        text: 'x',
        source: { topic: '', partition: 0, offset: '1' },
        at,
        raw: null,
      }),
    ).toThrow();
    expect(() =>
      toDeadLetter({ reason: 'oops' as 'send_failed', text: 'x', source, at, raw: null }),
    ).toThrow();
    expect(deadLetterRecord.safeParse({ raw_payload: 'eA==' }).success).toBe(false);
  });
});
