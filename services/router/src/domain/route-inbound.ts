import { type Agent, activeAgents, findActiveAgent } from './agent.js';
import type { InboundMessage } from './inbound-message.js';
import { buildMenu, type MenuTexts, parseMenuChoice } from './menu.js';
import { fillAgent, type RouterTexts, type Session, type SessionDecision, textMessage } from './session.js';

export interface RouteInboundInput {
  message: InboundMessage;
  session: Session | null;
  /** Every known agent, active or not (an inactive one still gets its session_ended). */
  agents: readonly Agent[];
  texts: RouterTexts & MenuTexts;
}

/** Decides where one user message goes. Pure: the caller loads the session and applies the decision. */
export function routeInbound(input: RouteInboundInput): SessionDecision {
  const { message, session } = input;
  if (isExit(message, input.texts.exitKeyword)) return exitToMenu(input);
  // No session: an old menu tapped after expiry still connects; anything else gets the menu.
  if (!session) return routeAtMenu(input, { state: 'menu', page: 0, pending: null });
  if (session.state === 'menu') return routeAtMenu(input, session);
  const agent = findActiveAgent(input.agents, session.agentId);
  if (agent) return { session, toAgents: [{ kind: 'message', agent, message }], toUser: [] };
  return agentGone(input, session.agentId);
}

export function isExit(message: InboundMessage, keyword: string): boolean {
  return message.type === 'text' && message.text.trim().toLowerCase() === keyword.trim().toLowerCase();
}

function exitToMenu(input: RouteInboundInput): SessionDecision {
  const menu = showMenu(input, 0, null);
  const { session } = input;
  const previous =
    session?.state === 'agent' ? input.agents.find((a) => a.id === session.agentId) : undefined;
  return {
    session: menu.session,
    toAgents: previous ? [{ kind: 'session_ended', agent: previous, reason: 'user_exit' }] : [],
    toUser: [textMessage(input.texts.goodbye), ...menu.toUser],
  };
}

function showMenu(input: RouteInboundInput, page: number, pending: InboundMessage | null): SessionDecision {
  const session: Session = { state: 'menu', page, pending };
  const agents = activeAgents(input.agents);
  if (agents.length === 0) return { session, toAgents: [], toUser: [textMessage(input.texts.noAgents)] };
  return { session, toAgents: [], toUser: [buildMenu(agents, input.texts, page)] };
}

function routeAtMenu(
  input: RouteInboundInput,
  session: Extract<Session, { state: 'menu' }>,
): SessionDecision {
  const choice = menuChoiceOf(input);
  if (choice?.kind === 'page') return showMenu(input, choice.page, session.pending);
  const agent = choice ? findActiveAgent(input.agents, choice.agentId) : undefined;
  // Unknown input, or an agent that went away since the menu was sent: show the menu again.
  if (!agent) return showMenu(input, session.page, session.pending ?? keepable(input.message));
  return {
    session: { state: 'agent', agentId: agent.id },
    toAgents: [
      { kind: 'session_started', agent, reason: 'menu_choice' },
      ...(session.pending ? [{ kind: 'message' as const, agent, message: session.pending }] : []),
    ],
    toUser: [textMessage(fillAgent(input.texts.connecting, agent))],
  };
}

/** The first message is kept for the agent; a tap on a stale menu is not a message for anyone. */
function keepable(message: InboundMessage): InboundMessage | null {
  return message.fields.reply ? null : message;
}

/** A tapped row or button, or the agent's name typed as text. */
function menuChoiceOf(input: RouteInboundInput) {
  const { message } = input;
  if (message.fields.reply) return parseMenuChoice(message.fields.reply.id);
  if (message.type !== 'text') return undefined;
  const typed = message.text.trim().toLowerCase();
  const agent = activeAgents(input.agents).find((a) => a.name.trim().toLowerCase() === typed);
  return agent ? { kind: 'agent' as const, agentId: agent.id } : undefined;
}

/** The session points at an agent that was removed or deactivated: back to the menu, message kept. */
function agentGone(input: RouteInboundInput, agentId: string): SessionDecision {
  const menu = showMenu(input, 0, input.message);
  const agent = input.agents.find((a) => a.id === agentId);
  return {
    session: menu.session,
    toAgents: agent ? [{ kind: 'session_ended', agent, reason: 'agent_removed' }] : [],
    toUser: [
      textMessage(fillAgent(input.texts.agentUnavailable, agent ?? { name: 'This agent' })),
      ...menu.toUser,
    ],
  };
}
