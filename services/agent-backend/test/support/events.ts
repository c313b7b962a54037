import { randomUUID } from 'node:crypto';
import type { AgentErrorEvent } from '@wa-broker/shared/agent-errors';
import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';

const inOneDay = () => new Date(Date.now() + 24 * 3600 * 1000).toISOString();

export function inboundText(waID: string, text: string, overrides: Partial<AgentInboundEvent> = {}) {
  const wamid = `wamid.${randomUUID()}`;
  return {
    v: 1,
    event_id: wamid,
    wamid,
    waID,
    type: 'text',
    text,
    raw_payload: null,
    agent: 'Agent A',
    user: { wa_id: waID, name: 'Maria Silva' },
    timestamp: new Date().toISOString(),
    window_expires_at: inOneDay(),
    ...overrides,
  } satisfies AgentInboundEvent;
}

export function statusEvent(
  waID: string,
  status: 'sent' | 'delivered' | 'read' | 'failed',
  ids: { wamid: string; idempotency_key?: string },
  errors?: { code: number; title: string }[],
): AgentInboundEvent {
  return {
    v: 1,
    event_id: `${ids.wamid}:${status}`,
    waID,
    type: 'status',
    text: status,
    raw_payload: null,
    agent: 'Agent A',
    user: { wa_id: waID },
    timestamp: new Date().toISOString(),
    window_expires_at: inOneDay(),
    status: { ...ids, status, ...(errors ? { errors } : {}) },
  };
}

export function agentError(waID: string, overrides: Partial<AgentErrorEvent> = {}): AgentErrorEvent {
  return {
    v: 1,
    event_id: `err-${randomUUID()}`,
    waID,
    text: 'The user is not in a session with this agent.',
    raw_payload: null,
    code: 'not_in_session',
    agent: 'Agent A',
    timestamp: new Date().toISOString(),
    ...overrides,
  };
}
