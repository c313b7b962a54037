import { describe, expect, it } from 'vitest';
import { fromAgentInEvent, fromAgentOutMessage, toSecond } from './conversation-event.js';

describe('conversation events', () => {
  it('cuts our timestamps to the second, as Meta’s are', () => {
    expect(toSecond(new Date('2026-01-01T10:00:05.987Z')).toISOString()).toBe('2026-01-01T10:00:05.000Z');
  });

  it('logs only session changes from -in (messages and statuses come from the webhook topic)', () => {
    const base = {
      v: 1 as const,
      event_id: 'wamid.1',
      waID: '1555',
      text: 'hi',
      raw_payload: null,
      agent: '7',
      user: { wa_id: '1555' },
      timestamp: '2026-01-01T10:00:05.500Z',
      window_expires_at: null,
    };
    expect(fromAgentInEvent({ ...base, type: 'text' }, 'a-in')).toBeNull();
    expect(fromAgentInEvent({ ...base, type: 'status' }, 'a-in')).toBeNull();
    const started = fromAgentInEvent(
      {
        ...base,
        event_id: 'w:session_started:7',
        type: 'session_started',
        session: { reason: 'transfer', from_agent: '6' },
      },
      'a-in',
    );
    expect(started).toMatchObject({
      eventId: 'session:w:session_started:7',
      kind: 'session_started',
      agent: '7',
      type: 'transfer',
      detail: { from_agent: '6' },
    });
  });

  it('keys an agent’s message by its idempotency key, else by its offset; a transfer is its own kind', () => {
    const meta = { agent: '7', source: 'a-out', offsetId: 'a-out:0:12', at: new Date() };
    expect(
      fromAgentOutMessage({ waID: '1555', message_type: 'text', text: 'hi', idempotency_key: 'k' }, meta)
        .eventId,
    ).toBe('out:7:k');
    const transfer = fromAgentOutMessage(
      { waID: '1555', message_type: 'transfer', transfer_to: 'Billing' },
      meta,
    );
    expect(transfer).toMatchObject({
      eventId: 'out:7:a-out:0:12',
      kind: 'transfer',
      detail: { transfer_to: 'Billing' },
    });
  });
});
