import type { OperatorConversation, OperatorMessage } from '@wa-broker/shared/operator-protocol';

export const now = new Date('2026-01-10T12:00:00Z');

export function message(overrides: Partial<OperatorMessage> = {}): OperatorMessage {
  return {
    id: 'm1',
    wa_id: '5511',
    direction: 'in',
    type: 'text',
    text: 'Hello',
    timestamp: '2026-01-10T11:00:00.000Z',
    ...overrides,
  };
}

export function conversation(overrides: Partial<OperatorConversation> = {}): OperatorConversation {
  return {
    wa_id: '5511',
    name: 'Ana',
    last_message: message(),
    last_activity_at: '2026-01-10T11:00:00.000Z',
    unread_count: 0,
    window_expires_at: '2026-01-11T11:00:00.000Z',
    session: 'open',
    ...overrides,
  };
}
