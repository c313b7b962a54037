import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';
import { describe, expect, it } from 'vitest';
import { planAgentError } from './plan-error.js';
import { planInbound } from './plan-inbound.js';

const base = {
  v: 1,
  waID: '5511',
  raw_payload: null,
  agent: 'Agent A',
  user: { wa_id: '5511', name: 'Ana' },
  timestamp: '2026-01-10T12:00:00.000Z',
  window_expires_at: '2026-01-11T12:00:00.000Z',
} as const;

describe('planInbound', () => {
  // meta-2026-changes.md §1.5 (calls) and §1.8 (edit, revoke, echoes): what the inbox shows for each.
  it('shows a missed and a finished call, an edited and a deleted message, and an echo', () => {
    const plan = (type: AgentInboundEvent['type'], fields: Partial<AgentInboundEvent>) =>
      planInbound({ ...base, event_id: `e-${type}-${JSON.stringify(fields)}`, type, text: '', ...fields })
        .message;
    expect(plan('call', { call: { id: 'c1', event: 'terminate', status: 'FAILED' } })?.text).toBe(
      '📞 Missed call',
    );
    expect(
      plan('call', { call: { id: 'c1', event: 'terminate', status: 'COMPLETED', duration: 125 } })?.text,
    ).toBe('📞 Call ended (2 min 5 s)');
    expect(plan('edit', { text: 'fixed', original_message_id: 'wamid.o' })).toMatchObject({
      direction: 'in',
      text: '✏️ Edited: fixed',
      context_message_id: 'wamid.o',
    });
    expect(plan('revoke', { original_message_id: 'wamid.o' })).toMatchObject({
      text: '🗑 The user deleted this message',
      context_message_id: 'wamid.o',
    });
    expect(plan('echo', { text: 'sent from the app' })).toMatchObject({
      direction: 'system',
      text: 'Sent from the WhatsApp Business app: sent from the app',
    });
  });

  it('turns a list reply into an unseen bubble showing the chosen title', () => {
    const event: AgentInboundEvent = {
      ...base,
      event_id: 'wamid.1',
      wamid: 'wamid.1',
      type: 'list_reply',
      text: 'row-1',
      reply: { id: 'row-1', title: 'Billing' },
    };
    const plan = planInbound(event);
    expect(plan.message).toMatchObject({ id: 'wamid.1', direction: 'in', text: 'Billing', seen: false });
    expect(plan.conversation).toMatchObject({ name: 'Ana', activity_at: base.timestamp });
  });

  it('turns a failed status into a failure with Meta’s reason and no bubble', () => {
    const plan = planInbound({
      ...base,
      event_id: 's1',
      type: 'status',
      text: 'failed',
      status: {
        wamid: 'wamid.9',
        status: 'failed',
        idempotency_key: 'k',
        errors: [{ code: 131047, title: 'x' }],
      },
    });
    expect(plan.message).toBeUndefined();
    expect(plan.status).toMatchObject({
      message_id: 'k',
      status: 'failed',
      error: { code: 'delivery_failed' },
    });
    expect(plan.conversation.activity_at).toBeUndefined();
  });

  it('records a session end as a system line that closes the session', () => {
    const plan = planInbound({
      ...base,
      event_id: 'e1',
      type: 'session_ended',
      text: '',
      session: { reason: 'user_exit' },
    });
    expect(plan.message).toMatchObject({ direction: 'system', text: 'The user left the conversation.' });
    expect(plan.conversation.session).toEqual({ state: 'ended', at: base.timestamp });
  });
});

describe('planAgentError', () => {
  it('fails the reply named by the idempotency key with the router’s words', () => {
    const plan = planAgentError({
      v: 1,
      event_id: 'err-1',
      waID: '5511',
      text: 'The 24-hour window is closed.',
      raw_payload: null,
      code: 'window_closed',
      agent: 'Agent A',
      timestamp: base.timestamp,
      idempotency_key: 'k2',
    });
    expect(plan.message).toMatchObject({ type: 'error', text: 'The 24-hour window is closed.' });
    expect(plan.status).toMatchObject({
      message_id: 'k2',
      status: 'failed',
      error: { code: 'window_closed' },
    });
  });

  it('shows no error line for a refused read receipt (it would become the conversation preview)', () => {
    const receipt = { v: 1, waID: '5511', message_type: 'mark_as_read', context_message_id: 'wamid.in1' };
    const plan = planAgentError({
      v: 1,
      event_id: 'err-2',
      waID: '5511',
      text: 'user 5511 is not in a session with agent Agent A',
      raw_payload: Buffer.from(JSON.stringify(receipt)).toString('base64'),
      code: 'not_in_session',
      agent: 'Agent A',
      timestamp: base.timestamp,
      idempotency_key: 'read-key',
    });
    expect(plan.message).toBeUndefined();
    expect(plan.status).toBeUndefined();
  });
});
