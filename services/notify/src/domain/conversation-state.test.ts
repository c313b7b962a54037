import { describe, expect, it } from 'vitest';
import { conversationState, type SessionFact } from './conversation-state.js';

const at = (second: number, seq: number) => ({ at: new Date(second * 1000), seq });
const session = (second: number, seq: number, agent: string, reason: string): SessionFact => ({
  ...at(second, seq),
  agent,
  reason,
});

describe('conversationState', () => {
  it('is at the menu before any session', () => {
    expect(conversationState({ lastStarted: null, lastEnded: null, lastInbound: at(1, 1) })).toEqual({
      state: 'menu',
      agent: null,
    });
  });

  it('is notified while only the business wrote (a notification, its statuses)', () => {
    expect(conversationState({ lastStarted: null, lastEnded: null, lastInbound: null }).state).toBe(
      'notified',
    );
  });

  it('is with the agent after session_started, even when an older session ended', () => {
    const facts = {
      lastStarted: session(20, 5, '7', 'menu_choice'),
      lastEnded: session(10, 3, '6', 'agent_ended'),
      lastInbound: at(30, 9),
    };
    expect(conversationState(facts)).toEqual({ state: 'agent', agent: '7' });
  });

  it('is ended when the agent ended it, and back at the menu once the user writes again', () => {
    const ended = {
      lastStarted: session(10, 1, '7', 'menu_choice'),
      lastEnded: session(20, 4, '7', 'agent_ended'),
    };
    expect(conversationState({ ...ended, lastInbound: at(15, 2) })).toEqual({ state: 'ended', agent: '7' });
    expect(conversationState({ ...ended, lastInbound: at(20, 6) })).toEqual({ state: 'menu', agent: null });
  });

  it('is at the menu right after #exit', () => {
    const facts = {
      lastStarted: session(10, 1, '7', 'menu_choice'),
      lastEnded: session(20, 4, '7', 'user_exit'),
      lastInbound: at(20, 3),
    };
    expect(conversationState(facts).state).toBe('menu');
  });

  it('follows a transfer whichever agent topic was read first', () => {
    const started = session(30, 4, '8', 'transfer');
    const ended = session(30, 5, '7', 'transfer');
    expect(conversationState({ lastStarted: started, lastEnded: ended, lastInbound: null })).toEqual({
      state: 'agent',
      agent: '8',
    });
  });
});
