import type { AgentErrorCode } from '@wa-broker/shared/agent-errors';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { OutboundValidationError } from '@wa-broker/shared/outbound-rules';
import { isWindowOpen, windowExpiresAt } from '@wa-broker/shared/reply-window';
import { type Agent, activeAgents, findAgentByReference } from './agent.js';
import { type GraphMessage, needsOpenWindow } from './graph-message.js';
import { buildMenu, type MenuTexts } from './menu.js';
import { toGraphMessage } from './outbound-validation.js';
import { fillAgent, type RouterTexts, type Session, type SessionDecision, textMessage } from './session.js';

export type OutboundPlan =
  | { kind: 'send'; body: GraphMessage }
  | { kind: 'reject'; code: AgentErrorCode; text: string }
  | { kind: 'handover'; decision: SessionDecision };

export interface PlanOutboundInput {
  message: AgentOutboundMessage;
  agent: Agent;
  session: Session | null;
  lastInboundAt: Date | null;
  now: Date;
  agents: readonly Agent[];
  texts: RouterTexts & MenuTexts;
}

/** Decides what one `-out` message becomes: a send, a rejection with a reason, or a session handover. */
export function planOutbound(input: PlanOutboundInput): OutboundPlan {
  const { message, agent, session } = input;
  // A read receipt only turns the user's ticks blue: harmless after the session ended or moved on (the
  // operator opens the conversation after the user's #exit), and an agent can only name a wamid the router
  // gave it on its own `-in` topic. Everything else needs the session, "typing…" too: it announces a reply.
  if (message.message_type === 'mark_as_read' && !message.typing_indicator) return sendable(message);
  if (session?.state !== 'agent' || session.agentId !== agent.id)
    return reject('not_in_session', `user ${message.waID} is not in a session with agent ${agent.name}`);
  if (message.message_type === 'end_session') return { kind: 'handover', decision: endSession(input) };
  if (message.message_type === 'transfer') return transfer(input);
  const plan = sendable(message);
  if (plan.kind !== 'send') return plan;
  const { body } = plan;
  // The shared reply window (Meta's 24 h less the margin every side keeps): the agent backend and the SDK
  // refuse exactly what is refused here.
  const expiresAt = input.lastInboundAt && windowExpiresAt(input.lastInboundAt);
  if (needsOpenWindow(body) && !isWindowOpen(expiresAt, input.now))
    return reject('window_closed', body.type === 'mark_as_read' ? typingRefusedText : windowClosedText);
  return { kind: 'send', body };
}

const windowClosedText =
  'the 24 h customer-service window is closed: only a template message can be sent until the user writes again';
const typingRefusedText =
  'the 24 h customer-service window is closed: no typing indicator (a reply could not follow); a read receipt without typing_indicator is still sent';

/** The Graph API body, or `invalid_message` with the shared rules' reason. */
function sendable(message: AgentOutboundMessage): OutboundPlan {
  try {
    return { kind: 'send', body: toGraphMessage(message) };
  } catch (error) {
    if (error instanceof OutboundValidationError) return reject('invalid_message', error.message);
    throw error;
  }
}

function reject(code: AgentErrorCode, text: string): OutboundPlan {
  return { kind: 'reject', code, text };
}

function endSession(input: PlanOutboundInput): SessionDecision {
  const { agent, message, texts } = input;
  const agents = activeAgents(input.agents);
  const userText = [fillAgent(texts.endedByAgent, agent), message.reason].filter(Boolean).join(' ');
  return {
    session: { state: 'menu', page: 0, pending: null },
    toAgents: [
      {
        kind: 'session_ended',
        agent,
        reason: 'agent_ended',
        ...(message.reason ? { note: message.reason } : {}),
      },
    ],
    toUser: [textMessage(userText), ...(agents.length ? [buildMenu(agents, texts)] : [])],
  };
}

function transfer(input: PlanOutboundInput): OutboundPlan {
  const { agent, message, texts } = input;
  if (!message.transfer_to) return reject('invalid_message', 'transfer_to is required for a transfer');
  const target = findAgentByReference(input.agents, message.transfer_to);
  if (!target) return reject('unknown_agent', `no active agent named ${message.transfer_to}`);
  if (target.id === agent.id) return reject('invalid_message', 'cannot transfer a user to the same agent');
  const note = message.reason ? { note: message.reason } : {};
  return {
    kind: 'handover',
    decision: {
      session: { state: 'agent', agentId: target.id },
      toAgents: [
        { kind: 'session_ended', agent, reason: 'transfer', ...note },
        { kind: 'session_started', agent: target, reason: 'transfer', fromAgent: agent.id, ...note },
      ],
      toUser: [textMessage(fillAgent(texts.transferred, target))],
    },
  };
}
