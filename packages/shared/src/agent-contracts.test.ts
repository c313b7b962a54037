import { describe, expect, it } from 'vitest';
import { agentErrorEvent } from './agent-errors.js';
import { agentInboundEvent } from './agent-inbound.js';
import { agentOutboundMessage } from './agent-outbound.js';

describe('agent topic contracts', () => {
  it("reads the Go original's -out messages unchanged", () => {
    const original = {
      waID: '5516993259256',
      message_type: 'list',
      text: '',
      list_title: 'Options',
      list_body: 'Pick one',
      list_items: [{ id: 'a', title: 'A' }],
    };
    expect(agentOutboundMessage.parse(original)).toEqual(original);
    expect(
      agentOutboundMessage.parse({ waID: '1', message_type: 'text', text: 'hi', list_items: null }).text,
    ).toBe('hi');
  });

  it('rejects an -out message with no user or an unknown type', () => {
    expect(agentOutboundMessage.safeParse({ message_type: 'text', text: 'hi' }).success).toBe(false);
    expect(agentOutboundMessage.safeParse({ waID: '1', message_type: 'fax' }).success).toBe(false);
  });

  it("keeps the original's -in and -error field names beside the new ones", () => {
    const inbound = agentInboundEvent.parse({
      v: 1,
      event_id: 'wamid.A',
      waID: '15550001111',
      type: 'list_reply',
      text: 'row-1',
      raw_payload: null,
      agent: 'agent_A',
      user: { wa_id: '15550001111', name: 'Jane' },
      timestamp: '2026-11-23T10:00:00.000Z',
      window_expires_at: '2026-11-24T10:00:00.000Z',
      reply: { id: 'row-1', title: 'Row 1' },
    });
    expect(Object.keys(inbound)).toEqual(expect.arrayContaining(['waID', 'type', 'text', 'raw_payload']));
    const error = agentErrorEvent.parse({
      v: 1,
      event_id: 'e1',
      waID: '15550001111',
      text: 'A template is needed: the 24 h window closed at 2026-11-24T10:00:00.000Z',
      raw_payload: null,
      code: 'window_closed',
      agent: 'agent_A',
      timestamp: '2026-11-25T10:00:00.000Z',
      meta_error: { code: 131047, title: 'Re-engagement message' },
    });
    expect(error.code).toBe('window_closed');
  });
});
