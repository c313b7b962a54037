import { beforeEach, describe, expect, it } from 'vitest';
import { type FakeRouter, fakeRouter } from '../testing/handler-deps.js';

/**
 * The portfolio's messaging limit (meta-2026-changes.md §1.9: unique users reached by business-initiated
 * messages in 24 h, shared by all numbers): templates outside the window count, replies inside it do not.
 */
let r: FakeRouter;

beforeEach(() => {
  r = fakeRouter();
  r.messagingLimit.limit = 1;
});

const agent1Says = (message: Record<string, unknown>) => r.agentSays('1', message);

function inSession(user: string, hoursAgo: number) {
  r.store.users.set(`phone-1:${user}`, {
    session: { state: 'agent', agentId: '1' },
    window: { lastInboundAt: new Date(r.clock.now.getTime() - hoursAgo * 3_600_000), user: { wa_id: user } },
  });
}

const template = (user: string, key: string) => ({
  waID: user,
  message_type: 'template',
  template: { name: 'follow_up', language: 'en_US' },
  idempotency_key: key,
});

describe('the portfolio messaging limit', () => {
  it('refuses a template outside the window to a new user once the limit is reached, before Meta', async () => {
    inSession('4915', 30);
    inSession('4916', 30);
    expect(await agent1Says(template('4915', 'k1'))).toEqual([]);
    expect(await agent1Says(template('4915', 'k2'))).toEqual([]); // the same user counts once
    const refused = await agent1Says(template('4916', 'k3'));
    expect(refused).toMatchObject([
      { topic: '1-error', value: { code: 'send_failed', text: expect.stringContaining('messaging limit') } },
    ]);
    expect(r.graph.calls.map((call) => call.to)).toEqual([{ wa_id: '4915' }, { wa_id: '4915' }]);
  });

  it('does not count replies inside the window', async () => {
    inSession('4915', 30);
    inSession('4916', 1);
    await agent1Says(template('4915', 'k1'));
    expect(
      await agent1Says({ waID: '4916', message_type: 'text', text: 'hi', idempotency_key: 'k2' }),
    ).toEqual([]);
    expect(await agent1Says(template('4916', 'k3'))).toEqual([]); // a template inside the window is a reply
    expect([...r.messagingLimit.admitted]).toEqual(['4915']);
  });
});
