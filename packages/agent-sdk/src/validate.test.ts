import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { describe, expect, it } from 'vitest';
import { OutboundValidationError, validateOutbound } from './validate.js';

const base = { v: 1 as const, waID: '15551234567', idempotency_key: 'k1' };
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }));

function reasonOf(message: AgentOutboundMessage): string {
  try {
    validateOutbound(message);
  } catch (error) {
    if (error instanceof OutboundValidationError) return error.message;
    throw error;
  }
  return 'valid';
}

describe('validateOutbound', () => {
  it('accepts a text at the limit and counts an emoji once', () => {
    expect(reasonOf({ ...base, message_type: 'text', text: '😀'.repeat(4096) })).toBe('valid');
  });

  it('rejects a text over 4096 characters and an empty text', () => {
    expect(reasonOf({ ...base, message_type: 'text', text: 'a'.repeat(4097) })).toBe(
      'text is 4097 characters; Meta allows 4096',
    );
    expect(reasonOf({ ...base, message_type: 'text', text: '  ' })).toBe('text is empty');
  });

  it('checks a list: button label, row count, row title, duplicate ids', () => {
    const list = { ...base, message_type: 'list' as const, list_title: 'Pick', list_body: 'Options' };
    expect(reasonOf({ ...list, list_items: rows(10) })).toBe('valid');
    expect(reasonOf({ ...list, list_items: rows(11) })).toBe('a list needs 1 to 10 rows in all, got 11');
    expect(reasonOf({ ...list, list_title: 'x'.repeat(21), list_items: rows(1) })).toBe(
      'list_title is 21 characters; Meta allows 20',
    );
    expect(reasonOf({ ...list, list_items: [{ id: 'a', title: 'y'.repeat(25) }] })).toBe(
      'section 1 row 1 title is 25 characters; Meta allows 24',
    );
    expect(reasonOf({ ...list, list_items: [...rows(1), ...rows(1)] })).toBe(
      'list row id "r0" is used twice',
    );
  });

  it('checks buttons: count, title length, body', () => {
    const buttons = { ...base, message_type: 'buttons' as const, text: 'Choose' };
    const three = [1, 2, 3].map((i) => ({ id: `b${i}`, title: `B${i}` }));
    expect(reasonOf({ ...buttons, buttons: three })).toBe('valid');
    expect(reasonOf({ ...buttons, buttons: [...three, { id: 'b4', title: 'B4' }] })).toBe(
      'reply buttons need 1 to 3 buttons, got 4',
    );
    expect(reasonOf({ ...buttons, buttons: [{ id: 'b', title: 't'.repeat(21) }] })).toBe(
      'button 1 title is 21 characters; Meta allows 20',
    );
    expect(reasonOf({ ...buttons, text: undefined, buttons: three })).toBe('text is empty');
  });

  it('needs the target of read receipts, reactions and transfers', () => {
    expect(reasonOf({ ...base, message_type: 'mark_as_read' })).toBe('context_message_id is empty');
    expect(reasonOf({ ...base, message_type: 'reaction', emoji: '👍' })).toBe('context_message_id is empty');
    expect(reasonOf({ ...base, message_type: 'transfer' })).toBe('transfer_to is empty');
    expect(reasonOf({ ...base, message_type: 'end_session' })).toBe('valid');
  });

  it('rejects what the shared contract rejects (an idempotency key over 200 characters)', () => {
    expect(reasonOf({ ...base, idempotency_key: 'k'.repeat(201), message_type: 'end_session' })).toMatch(
      /200/,
    );
  });
});
