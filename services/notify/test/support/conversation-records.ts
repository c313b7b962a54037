import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';
import type { AgentChangeEvent } from '@wa-broker/shared/agents';
import type { WebhookEvent } from '@wa-broker/shared/webhook-events';

/** What the webhook, router and agents publish, shaped as on their topics (contracts from @wa-broker/shared). */
const envelope = (user: string, at: Date) => ({
  v: 1 as const,
  trace_id: `trace-${at.getTime()}`,
  received_at: new Date(at.getTime() + 200).toISOString(),
  occurred_at: at.toISOString(),
  waba_id: '102290129340398',
  phone_number_id: '106540352242922',
  metadata: { phone_number_id: '106540352242922' },
  user: { wa_id: user },
  contact: { wa_id: user, profile: { name: 'Jane Doe' } },
});

export function inboundText(user: string, wamid: string, text: string, at: Date): WebhookEvent {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    ...envelope(user, at),
    kind: 'message',
    message_type: 'text',
    item: { id: wamid, from: user, timestamp, type: 'text', text: { body: text } },
  };
}

export function menuChoice(user: string, wamid: string, title: string, at: Date): WebhookEvent {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    ...envelope(user, at),
    kind: 'message',
    message_type: 'interactive',
    item: {
      id: wamid,
      from: user,
      timestamp,
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { id: 'agent:7', title } },
    },
  };
}

export function status(user: string, wamid: string, name: string, at: Date): WebhookEvent {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    ...envelope(user, at),
    kind: 'status',
    item: { id: wamid, status: name, timestamp, recipient_id: user },
  };
}

export function sessionEvent(
  user: string,
  agent: string,
  type: 'session_started' | 'session_ended',
  reason: 'menu_choice' | 'agent_ended',
  at: Date,
  cause: string,
): AgentInboundEvent {
  return {
    v: 1,
    event_id: `${cause}:${type}:${agent}`,
    waID: user,
    type,
    text: reason,
    raw_payload: null,
    agent,
    user: { wa_id: user, name: 'Jane Doe' },
    timestamp: at.toISOString(),
    window_expires_at: null,
    session: { reason },
  };
}

export function agentChange(id: number, name: string, slug: string): AgentChangeEvent {
  const now = new Date().toISOString();
  return {
    v: 1,
    type: 'created',
    agent: {
      id,
      name,
      slug,
      description: '',
      read_topic: `${slug}-in`,
      write_topic: `${slug}-out`,
      error_topic: `${slug}-error`,
      active: true,
      created_at: now,
      updated_at: now,
    },
    published_at: now,
  };
}
