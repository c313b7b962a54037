import type { sessionReasons } from '@wa-broker/shared/agent-inbound';
import type { Agent } from './agent.js';
import type { GraphMessage } from './graph-message.js';
import type { InboundMessage } from './inbound-message.js';

/**
 * Who owns the chat: the menu (with the user's first message kept for the agent they choose) or one agent.
 * The 24 h window is a separate fact (window.ts): a session may outlive it and vice versa.
 */
export type Session =
  | { state: 'menu'; page: number; pending: InboundMessage | null }
  | { state: 'agent'; agentId: string };

export type SessionReason = (typeof sessionReasons)[number];

export type AgentDelivery =
  | { kind: 'message'; agent: Agent; message: InboundMessage }
  | { kind: 'session_started'; agent: Agent; reason: SessionReason; fromAgent?: string; note?: string }
  | { kind: 'session_ended'; agent: Agent; reason: SessionReason; note?: string };

/** What to do with one inbound message or control message, in order: store, tell agents, tell the user. */
export interface SessionDecision {
  session: Session;
  toAgents: AgentDelivery[];
  toUser: GraphMessage[];
}

/** Texts the router says to users; `{agent}` is replaced by the agent's name. All configurable. */
export interface RouterTexts {
  exitKeyword: string;
  goodbye: string;
  connecting: string;
  agentUnavailable: string;
  noAgents: string;
  endedByAgent: string;
  transferred: string;
}

export function fillAgent(template: string, agent: Pick<Agent, 'name'>): string {
  return template.replaceAll('{agent}', agent.name);
}

export function textMessage(body: string): GraphMessage {
  return { type: 'text', text: { body } };
}
