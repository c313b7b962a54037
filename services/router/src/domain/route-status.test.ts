import { describe, expect, it } from 'vitest';
import { agent } from '../testing/domain-fixtures.js';
import { statusEvent } from '../testing/webhook-events.js';
import { routeStatus, type StatusToRoute } from './route-status.js';

const at = new Date('2026-12-01T12:00:00Z');
const sales = agent('1', { name: 'Sales' });
const sent = { agentId: '1', userKey: '4915', idempotencyKey: 'reply-1' };
const route = (overrides: Partial<StatusToRoute> & Pick<StatusToRoute, 'event'>) =>
  routeStatus({
    sent,
    previous: null,
    agents: [sales],
    user: { userKey: '4915', phoneNumberId: 'phone-1', window: null },
    now: at,
    ...overrides,
  });

describe('routeStatus', () => {
  it('forwards a status to the agent that sent the message, keyed by the user', () => {
    const lastInboundAt = new Date('2026-12-01T10:00:00Z');
    const decision = route({
      event: statusEvent('4915', 'wamid.1', 'delivered', at),
      user: {
        userKey: '4915',
        phoneNumberId: 'phone-1',
        window: { lastInboundAt, user: { wa_id: '4915', name: 'Ann' } },
      },
    });
    expect(decision).toMatchObject({ kind: 'forward', status: 'delivered' });
    if (decision.kind !== 'forward') return;
    expect(decision.records).toHaveLength(1);
    expect(decision.records[0]).toMatchObject({
      topic: '1-in',
      key: '4915',
      value: {
        type: 'status',
        event_id: 'wamid.1:delivered',
        user: { wa_id: '4915', name: 'Ann' },
        window_expires_at: '2026-12-02T10:00:00.000Z',
        timestamp: at.toISOString(),
        status: { wamid: 'wamid.1', status: 'delivered', idempotency_key: 'reply-1' },
      },
    });
  });

  it('turns a failed status into an -error event with Meta’s reason as well', () => {
    const errors = [
      { code: 131026, title: 'Message undeliverable', error_data: { details: 'not on WhatsApp' } },
    ];
    const decision = route({ event: statusEvent('4915', 'wamid.2', 'failed', at, { errors }) });
    if (decision.kind !== 'forward') throw new Error(`expected forward, got ${decision.kind}`);
    expect(decision.records.map((r) => r.topic)).toEqual(['1-in', '1-error']);
    expect(decision.records[1]?.value).toMatchObject({
      event_id: 'wamid.2:failed',
      code: 'delivery_failed',
      text: 'Meta could not deliver the message: not on WhatsApp (131026)',
      wamid: 'wamid.2',
      idempotency_key: 'reply-1',
      meta_error: { code: 131026, title: 'Message undeliverable', details: 'not on WhatsApp' },
    });
  });

  it('reports a failed status with 131047 as window_closed, like the synchronous 400', () => {
    const errors = [{ code: 131047, title: 'Re-engagement message' }];
    const decision = route({ event: statusEvent('4915', 'wamid.3', 'failed', at, { errors }) });
    if (decision.kind !== 'forward') throw new Error(`expected forward, got ${decision.kind}`);
    expect(decision.records[1]?.value).toMatchObject({ code: 'window_closed' });
  });

  it('drops a status that does not move forward', () => {
    expect(route({ event: statusEvent('4915', 'wamid.4', 'delivered', at), previous: 'read' })).toEqual({
      kind: 'stale',
    });
  });

  it('leaves statuses of messages no agent sent, of removed agents and of unknown kinds unmatched', () => {
    const event = statusEvent('4915', 'wamid.5', 'delivered', at);
    expect(route({ event, sent: null })).toEqual({ kind: 'unmatched' });
    expect(route({ event, agents: [] })).toEqual({ kind: 'unmatched' });
    expect(route({ event: statusEvent('4915', 'wamid.5', 'deleted', at) })).toEqual({ kind: 'unmatched' });
  });
});
