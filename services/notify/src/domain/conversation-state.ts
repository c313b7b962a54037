/** `notified`: only the business wrote so far (a notification); the user has not answered. */
export const conversationStates = ['menu', 'agent', 'ended', 'notified'] as const;
export type ConversationState = (typeof conversationStates)[number];

/** A point in a conversation's order: when the broker saw it (ms), then arrival at notify. */
export interface LogPosition {
  at: Date;
  seq: number;
}

export interface SessionFact extends LogPosition {
  agent: string | null;
  reason: string;
}

export interface ConversationFacts {
  lastStarted: SessionFact | null;
  lastEnded: SessionFact | null;
  lastInbound: LogPosition | null;
}

const isAfter = (a: LogPosition, b: LogPosition) =>
  a.at.getTime() !== b.at.getTime() ? a.at > b.at : a.seq > b.seq;

/** Reasons after which the router shows the menu at once (the user is back at the menu, not gone). */
const backToMenu = new Set(['user_exit', 'agent_removed']);

/**
 * Where a conversation stands, from its latest session events: with an agent after session_started, ended after
 * session_ended (the agent ended it, it expired), at the menu before any session, after #exit, or once the user
 * writes again after an end. A transfer's session_ended (old agent) and session_started (new agent) carry the
 * same instant and reach us on two topics in either order: the start wins that tie.
 */
export function conversationState(facts: ConversationFacts): {
  state: ConversationState;
  agent: string | null;
} {
  const { lastStarted, lastEnded, lastInbound } = facts;
  const startedWins =
    lastStarted &&
    (!lastEnded ||
      isAfter(lastStarted, lastEnded) ||
      (lastEnded.reason === 'transfer' && lastStarted.at.getTime() >= lastEnded.at.getTime()));
  if (startedWins) return { state: 'agent', agent: lastStarted.agent };
  if (!lastEnded) return { state: lastInbound ? 'menu' : 'notified', agent: null };
  if (backToMenu.has(lastEnded.reason) || (lastInbound && isAfter(lastInbound, lastEnded)))
    return { state: 'menu', agent: null };
  return { state: 'ended', agent: lastEnded.agent };
}
