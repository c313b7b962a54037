import { beforeEach, describe, expect, it } from 'vitest';
import { type FakeRouter, fakeRouter } from '../testing/handler-deps.js';
import { statusEvent } from '../testing/webhook-events.js';

/**
 * Issue 19 §5, meta-2026-changes.md §1.3: every send Meta accepted is tagged with who made it (agent, operator,
 * notification, the router itself) and every status's `pricing` is kept, on message-costs keyed by wamid.
 */
let r: FakeRouter;

beforeEach(() => {
  r = fakeRouter();
  r.store.users.set('phone-1:4915', {
    session: { state: 'agent', agentId: '1' },
    window: { lastInboundAt: new Date(r.clock.now.getTime() - 3_600_000), user: { wa_id: '4915' } },
  });
});

describe('the cost report’s inputs', () => {
  it('tags an operator’s reply as the operator’s, and an agent’s by default', async () => {
    await r.agentSays('1', { waID: '4915', message_type: 'text', text: 'from code', idempotency_key: 'k1' });
    await r.agentSays('1', {
      waID: '4915',
      message_type: 'text',
      text: 'from the inbox',
      idempotency_key: 'k2',
      origin: 'operator',
    });
    expect(r.costs.map((record) => record.value)).toMatchObject([
      { kind: 'sent', agent_id: '1', origin: 'agent', message_type: 'text' },
      { kind: 'sent', agent_id: '1', origin: 'operator', message_type: 'text' },
    ]);
  });

  it('keeps the pricing of each status that has one, keyed by wamid, whoever sent the message', async () => {
    const at = r.clock.now;
    const pricing = { billable: true, pricing_model: 'PMP', category: 'service', type: 'regular' };
    const routed = await r.route(
      statusEvent('4915', 'wamid.x', 'sent', at, { pricing }),
      statusEvent('4915', 'wamid.x', 'delivered', at),
    );
    const priced = routed.records.filter((record) => record.topic === 'message-costs');
    expect(priced).toEqual([
      {
        topic: 'message-costs',
        key: 'wamid.x',
        value: {
          v: 1,
          kind: 'priced',
          wamid: 'wamid.x',
          phone_number_id: 'phone-1',
          status: 'sent',
          pricing,
          at: at.toISOString(),
        },
      },
    ]);
  });
});
