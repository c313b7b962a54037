import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { describe, expect, it } from 'vitest';
import { agent, agents, texts } from '../testing/domain-fixtures.js';
import { type PlanOutboundInput, planOutbound } from './plan-outbound.js';

const now = new Date('2025-10-24T10:00:00Z');
const [a1, a2] = agents(2) as [ReturnType<typeof agent>, ReturnType<typeof agent>];
const plan = (message: Partial<AgentOutboundMessage>, overrides: Partial<PlanOutboundInput> = {}) =>
  planOutbound({
    message: { waID: '155', message_type: 'text', text: 'hello', ...message },
    agent: a1,
    session: { state: 'agent', agentId: 'a1' },
    lastInboundAt: new Date('2025-10-24T09:00:00Z'),
    now,
    agents: [a1, a2],
    texts,
    ...overrides,
  });

describe('planOutbound', () => {
  it('sends a valid text inside the window', () => {
    expect(plan({})).toEqual({ kind: 'send', body: { type: 'text', text: { body: 'hello' } } });
  });

  it('rejects a user who is not in session with this agent', () => {
    expect(plan({}, { session: { state: 'agent', agentId: 'a2' } })).toMatchObject({
      kind: 'reject',
      code: 'not_in_session',
    });
    expect(plan({}, { session: null })).toMatchObject({ kind: 'reject', code: 'not_in_session' });
  });

  it('sends a read receipt after the session ended or moved to another agent (#exit, then the operator reads)', () => {
    const receipt = { message_type: 'mark_as_read' as const, context_message_id: 'wamid.in1' };
    const sent = { kind: 'send', body: { type: 'mark_as_read', message_id: 'wamid.in1' } };
    expect(plan(receipt, { session: { state: 'menu', page: 0, pending: null } })).toEqual(sent);
    expect(plan(receipt, { session: null, lastInboundAt: new Date('2025-10-20T09:00:00Z') })).toEqual(sent);
    expect(plan(receipt, { session: { state: 'agent', agentId: 'a2' } })).toEqual(sent);
    expect(plan({ message_type: 'mark_as_read' }, { session: null })).toMatchObject({
      kind: 'reject',
      code: 'invalid_message',
    });
    expect(
      plan({ message_type: 'reaction', context_message_id: 'wamid.in1', emoji: '👍' }, { session: null }),
    ).toMatchObject({
      kind: 'reject',
      code: 'not_in_session',
    });
  });

  it('shows "typing…" only to a user in session with this agent while the reply window is open (issue 20 §3)', () => {
    const typing = {
      message_type: 'mark_as_read' as const,
      context_message_id: 'wamid.in1',
      typing_indicator: true,
    };
    expect(plan(typing)).toEqual({
      kind: 'send',
      body: { type: 'mark_as_read', message_id: 'wamid.in1', typing_indicator: true },
    });
    // The same window as a reply: closed in the last 5 minutes (the shared margin), closed after 24 h.
    for (const lastInboundAt of [new Date('2025-10-23T10:04:00Z'), new Date('2025-10-23T09:00:00Z')])
      expect(plan(typing, { lastInboundAt })).toMatchObject({
        kind: 'reject',
        code: 'window_closed',
        text: expect.stringContaining('typing indicator'),
      });
    expect(plan(typing, { lastInboundAt: null })).toMatchObject({ kind: 'reject', code: 'window_closed' });
    expect(plan(typing, { session: { state: 'agent', agentId: 'a2' } })).toMatchObject({
      kind: 'reject',
      code: 'not_in_session',
    });
    expect(plan(typing, { session: { state: 'menu', page: 0, pending: null } })).toMatchObject({
      code: 'not_in_session',
    });
    expect(plan(typing, { session: null })).toMatchObject({ kind: 'reject', code: 'not_in_session' });
    // The plain read receipt of the same message is sent in every one of these cases.
    const receipt = { message_type: 'mark_as_read' as const, context_message_id: 'wamid.in1' };
    const closed = { session: null, lastInboundAt: new Date('2025-10-23T09:00:00Z') };
    expect(plan(receipt, closed)).toEqual({
      kind: 'send',
      body: { type: 'mark_as_read', message_id: 'wamid.in1' },
    });
    expect(plan({ ...receipt, typing_indicator: false }, closed).kind).toBe('send');
  });

  it('refuses a free-form reply in the last 5 minutes of the window (the shared margin), not a template', () => {
    const lastMinutes = { lastInboundAt: new Date('2025-10-23T10:04:00Z') }; // Meta closes at 10:04 today
    expect(plan({}, lastMinutes)).toMatchObject({ kind: 'reject', code: 'window_closed' });
    expect(plan({}, { lastInboundAt: new Date('2025-10-23T10:05:01Z') }).kind).toBe('send');
    const template = { message_type: 'template' as const, template: { name: 't', language: 'en' } };
    expect(plan(template, lastMinutes).kind).toBe('send');
  });

  it('outside the window allows only templates', () => {
    const closed = { lastInboundAt: new Date('2025-10-23T09:00:00Z') };
    expect(plan({}, closed)).toMatchObject({
      kind: 'reject',
      code: 'window_closed',
      text: expect.stringContaining('template'),
    });
    expect(plan({ message_type: 'template', template: { name: 't', language: 'en' } }, closed).kind).toBe(
      'send',
    );
  });

  it('rejects invalid messages with the reason', () => {
    expect(plan({ text: 'x'.repeat(5000) })).toMatchObject({ kind: 'reject', code: 'invalid_message' });
  });

  it('ends a session: the user goes back to the menu and the agent is told', () => {
    const result = plan({ message_type: 'end_session', reason: 'Solved.' });
    if (result.kind !== 'handover') throw new Error(result.kind);
    expect(result.decision.session).toEqual({ state: 'menu', page: 0, pending: null });
    expect(result.decision.toAgents).toEqual([
      { kind: 'session_ended', agent: a1, reason: 'agent_ended', note: 'Solved.' },
    ]);
    expect(result.decision.toUser[0]).toEqual({
      type: 'text',
      text: { body: 'Agent a1 ended the conversation. Solved.' },
    });
  });

  it('transfers to another agent by name with the reason', () => {
    const result = plan({ message_type: 'transfer', transfer_to: 'agent A2', reason: 'billing question' });
    if (result.kind !== 'handover') throw new Error(result.kind);
    expect(result.decision.session).toEqual({ state: 'agent', agentId: 'a2' });
    expect(result.decision.toAgents[1]).toEqual({
      kind: 'session_started',
      agent: a2,
      reason: 'transfer',
      fromAgent: 'a1',
      note: 'billing question',
    });
    expect(result.decision.toUser).toEqual([
      { type: 'text', text: { body: 'You are now talking to Agent a2.' } },
    ]);
  });

  it('refuses a transfer to an unknown or inactive agent', () => {
    expect(plan({ message_type: 'transfer', transfer_to: 'nobody' })).toMatchObject({
      code: 'unknown_agent',
    });
    const inactive = [a1, agent('a2', { active: false })];
    expect(plan({ message_type: 'transfer', transfer_to: 'a2' }, { agents: inactive })).toMatchObject({
      code: 'unknown_agent',
    });
  });
});
