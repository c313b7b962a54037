import { describe, expect, it } from 'vitest';
import { agent, agents, metaItem, texts } from '../testing/domain-fixtures.js';
import type { Agent } from './agent.js';
import { type InboundMessage, toInboundMessage } from './inbound-message.js';
import { routeInbound } from './route-inbound.js';
import type { Session } from './session.js';

const now = new Date('2025-10-24T10:00:00Z');

function message(text: string, reply?: { id: string; title: string }): InboundMessage {
  const base = toInboundMessage(
    reply
      ? {
          id: `wamid.${text}`,
          from: '155',
          timestamp: '1761300000',
          type: 'interactive',
          interactive: { type: 'list_reply', list_reply: reply },
        }
      : { id: `wamid.${text}`, from: '155', timestamp: '1761300000', type: 'text', text: { body: text } },
    { wa_id: '155' },
    now,
  );
  if (!base) throw new Error('bad message');
  return base;
}

const route = (msg: InboundMessage, session: Session | null, all: Agent[] = agents(2)) =>
  routeInbound({ message: msg, session, agents: all, texts });

describe('routeInbound', () => {
  it('shows the menu to a new user and keeps their first message', () => {
    const first = message('hello');
    const decision = route(first, null);
    expect(decision.session).toEqual({ state: 'menu', page: 0, pending: first });
    expect(decision.toUser).toHaveLength(1);
    expect(decision.toUser[0]?.type).toBe('interactive');
    expect(decision.toAgents).toEqual([]);
  });

  it('hands the kept first message to the chosen agent after session_started', () => {
    const first = message('hello');
    const decision = route(message('pick', { id: 'agent:a2', title: 'Agent a2' }), {
      state: 'menu',
      page: 0,
      pending: first,
    });
    expect(decision.session).toEqual({ state: 'agent', agentId: 'a2' });
    expect(decision.toAgents.map((d) => d.kind)).toEqual(['session_started', 'message']);
    expect(decision.toAgents[1]).toMatchObject({ kind: 'message', message: first });
    expect(decision.toUser).toEqual([{ type: 'text', text: { body: 'Connecting you to Agent a2.' } }]);
  });

  it('accepts the agent name typed as text', () => {
    const decision = route(message(' agent A1 '), { state: 'menu', page: 0, pending: null });
    expect(decision.session).toEqual({ state: 'agent', agentId: 'a1' });
  });

  it('re-sends the menu on unknown input at the menu, keeping the first message', () => {
    const first = message('hello');
    const decision = route(message('what?'), { state: 'menu', page: 0, pending: first });
    expect(decision.session).toEqual({ state: 'menu', page: 0, pending: first });
    expect(decision.toUser[0]?.type).toBe('interactive');
  });

  it('re-sends the menu when the chosen agent is inactive', () => {
    const all = [agent('a1'), agent('a2', { active: false })];
    const decision = route(
      message('x', { id: 'agent:a2', title: 'a2' }),
      { state: 'menu', page: 0, pending: null },
      all,
    );
    expect(decision.session.state).toBe('menu');
    expect(decision.toAgents).toEqual([]);
  });

  it('turns the page on a "more" row', () => {
    const decision = route(
      message('x', { id: 'menu:page:1', title: 'More' }),
      { state: 'menu', page: 0, pending: null },
      agents(12),
    );
    expect(decision.session).toMatchObject({ state: 'menu', page: 1 });
  });

  it('forwards messages in session to the agent', () => {
    const msg = message('where is my order?');
    const decision = route(msg, { state: 'agent', agentId: 'a1' });
    expect(decision.toAgents).toEqual([{ kind: 'message', agent: agents(2)[0], message: msg }]);
    expect(decision.toUser).toEqual([]);
  });

  it('#exit (any case, trimmed) returns to the menu and tells the agent', () => {
    const decision = route(message('  #EXIT '), { state: 'agent', agentId: 'a1' });
    expect(decision.session).toEqual({ state: 'menu', page: 0, pending: null });
    expect(decision.toAgents).toEqual([{ kind: 'session_ended', agent: agents(2)[0], reason: 'user_exit' }]);
    expect(decision.toUser.map((m) => m.type)).toEqual(['text', 'interactive']);
  });

  it('falls back to the menu when the session agent was deactivated, keeping the message', () => {
    const all = [agent('a1', { active: false }), agent('a2')];
    const msg = message('still there?');
    const decision = route(msg, { state: 'agent', agentId: 'a1' }, all);
    expect(decision.session).toEqual({ state: 'menu', page: 0, pending: msg });
    expect(decision.toAgents).toEqual([{ kind: 'session_ended', agent: all[0], reason: 'agent_removed' }]);
    expect(decision.toUser[0]).toEqual({ type: 'text', text: { body: 'Agent a1 is no longer available.' } });
  });

  it('falls back to the menu when the session agent no longer exists', () => {
    const decision = route(message('hi'), { state: 'agent', agentId: 'gone' });
    expect(decision.session.state).toBe('menu');
    expect(decision.toAgents).toEqual([]);
  });

  it('says no one is available when there are no active agents', () => {
    const decision = route(message('hi'), null, []);
    expect(decision.toUser).toEqual([{ type: 'text', text: { body: 'No one is available right now.' } }]);
  });

  it('connects a user whose session expired when they tap an old menu', () => {
    const { item, contact } = metaItem('inbound-interactive-list-reply.json');
    const tapped = toInboundMessage(
      { ...item, interactive: { type: 'list_reply', list_reply: { id: 'agent:a1', title: 'A' } } },
      contact,
      now,
    );
    if (!tapped) throw new Error('bad fixture');
    expect(route(tapped, null).session).toEqual({ state: 'agent', agentId: 'a1' });
  });
});
