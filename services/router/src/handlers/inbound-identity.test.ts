import type { WebhookEvent } from '@wa-broker/shared/webhook-events';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OutRecord } from '../domain/ports.js';
import { type FakeRouter, fakeRouter, topics } from '../testing/handler-deps.js';
import { textEvent } from '../testing/webhook-events.js';

/**
 * Who the user is (meta-2026-changes.md §1.2): keyed by the BSUID whenever Meta sends one, the phone only when
 * none ever came; identity-change system messages (changelog 2026-08-11) move the conversation.
 */
const at = new Date('2026-12-01T11:59:00Z');
const phone = '15550001111';
const bsuid = 'US.11111111111111111111';
const newBsuid = 'US.22222222222222222222';
let r: FakeRouter;

beforeEach(() => {
  r = fakeRouter();
});

const route = (...events: WebhookEvent[]) => r.route(...events);

/** A text as Meta sends it in 2026: the BSUID always, the phone when shared, a username when chosen. */
function message(
  wamid: string,
  body: string,
  who: { waId?: string; userId?: string; username?: string },
): WebhookEvent {
  const event = textEvent(who.waId ?? '', wamid, body, at) as Extract<WebhookEvent, { kind: 'message' }>;
  const user = { ...(who.waId ? { wa_id: who.waId } : {}), ...(who.userId ? { user_id: who.userId } : {}) };
  return {
    ...event,
    user,
    contact: { ...user, profile: { name: 'Jane', ...(who.username ? { username: who.username } : {}) } },
    item: {
      ...event.item,
      ...(who.waId ? { from: who.waId } : { from: undefined }),
      ...(who.userId ? { from_user_id: who.userId } : {}),
    },
  } as WebhookEvent;
}

function systemChange(wamid: string, system: Record<string, unknown>, from?: string): WebhookEvent {
  const event = textEvent(from ?? '', wamid, '', at) as Extract<WebhookEvent, { kind: 'message' }>;
  return {
    ...event,
    message_type: 'unknown',
    user: {
      user_id: system.user_id as string,
      ...(system.wa_id ? { wa_id: system.wa_id as string } : {}),
    },
    contact: null,
    item: { id: wamid, ...(from ? { from } : {}), timestamp: '1', type: 'system', system },
  } as WebhookEvent;
}

const inAgentSession = (conversation: string, user: Record<string, string>) =>
  r.store.users.set(conversation, {
    session: { state: 'agent', agentId: '1' },
    window: { lastInboundAt: at, user },
  });

const toAgent = (records: OutRecord[]) => records.filter((rec) => rec.topic === '1-in');

describe('the user key', () => {
  it('keys a username-only user (no phone ever shared) by the BSUID and remembers the username', async () => {
    const routed = await route(message('wamid.1', 'Hi', { userId: bsuid, username: 'jane.doe' }));
    expect(routed.records).toMatchObject([
      { topic: topics.routerOut, key: bsuid, value: { waID: bsuid, phone_number_id: 'phone-1' } },
    ]);
    expect(r.store.users.get(`phone-1:${bsuid}`)?.window?.user).toEqual({
      user_id: bsuid,
      name: 'Jane',
      username: 'jane.doe',
    });
  });

  it('stays one conversation when the phone is shared, then hidden, and keeps the phone for sends', async () => {
    inAgentSession(`phone-1:${bsuid}`, { user_id: bsuid });
    await route(message('wamid.1', 'one', { waId: phone, userId: bsuid }));
    const routed = await route(message('wamid.2', 'two', { userId: bsuid }));
    expect(toAgent(routed.records)).toMatchObject([{ key: bsuid, value: { waID: bsuid, text: 'two' } }]);
    expect([...r.store.users.keys()]).toEqual([`phone-1:${bsuid}`]);
    expect(r.store.users.get(`phone-1:${bsuid}`)?.window?.user).toMatchObject({
      wa_id: phone,
      user_id: bsuid,
    });
    expect(r.store.phoneLinks.get(phone)).toBe(bsuid);
  });

  it('finds the user of an event that names only the phone through the link learnt before', async () => {
    inAgentSession(`phone-1:${bsuid}`, { user_id: bsuid, wa_id: phone });
    r.store.phoneLinks.set(phone, bsuid);
    const routed = await route(message('wamid.3', 'old payload', { waId: phone }));
    expect(toAgent(routed.records)).toMatchObject([
      { key: bsuid, value: { waID: bsuid, text: 'old payload' } },
    ]);
  });

  it('moves a conversation kept by phone to the BSUID when both come, telling its agent first', async () => {
    inAgentSession(`phone-1:${phone}`, { wa_id: phone });
    const routed = await route(message('wamid.4', 'now with a BSUID', { waId: phone, userId: bsuid }));
    expect(toAgent(routed.records).map((rec) => [rec.key, rec.value])).toMatchObject([
      [
        bsuid,
        {
          type: 'identity_changed',
          waID: bsuid,
          identity: { reason: 'user_id_learnt', previous_waID: phone },
        },
      ],
      [bsuid, { type: 'text', waID: bsuid, text: 'now with a BSUID' }],
    ]);
    expect(r.store.users.has(`phone-1:${phone}`)).toBe(false);
    expect(r.store.users.get(`phone-1:${bsuid}`)?.session).toEqual({ state: 'agent', agentId: '1' });
  });
});

describe('identity changes', () => {
  it('user_changed_number moves session, window and ownership to the new BSUID and tells the agent', async () => {
    inAgentSession(`phone-1:${bsuid}`, { wa_id: phone, user_id: bsuid, name: 'Jane' });
    const change = systemChange(
      'wamid.sys',
      { type: 'user_changed_number', wa_id: '15550002222', user_id: newBsuid, previous_user_id: bsuid },
      phone,
    );
    const routed = await route(
      change,
      message('wamid.5', 'from my new phone', { waId: '15550002222', userId: newBsuid }),
    );
    expect(toAgent(routed.records).map((rec) => [rec.key, rec.value])).toMatchObject([
      [
        newBsuid,
        { type: 'identity_changed', identity: { reason: 'user_changed_number', previous_waID: bsuid } },
      ],
      [newBsuid, { type: 'text', waID: newBsuid, text: 'from my new phone' }],
    ]);
    expect(routed.records.filter((rec) => rec.topic === topics.routerOut)).toEqual([]); // no menu: one session
    expect(r.store.users.has(`phone-1:${bsuid}`)).toBe(false);
    expect(r.store.users.get(`phone-1:${newBsuid}`)).toMatchObject({
      session: { state: 'agent', agentId: '1' },
      window: { user: { wa_id: '15550002222', user_id: newBsuid, name: 'Jane' } },
    });
    expect(r.store.movedKeys.get(bsuid)).toBe(newBsuid);
    expect(r.store.seen.has('wamid.sys')).toBe(true);
  });

  it('a late redelivery from before the change continues the same conversation under the new key', async () => {
    inAgentSession(`phone-1:${bsuid}`, { user_id: bsuid });
    await route(
      systemChange('wamid.sys', { type: 'user_changed_user_id', user_id: newBsuid, previous_user_id: bsuid }),
    );
    const routed = await route(message('wamid.late', 'sent before the change', { userId: bsuid }));
    expect(routed.records.map((rec) => [rec.topic, rec.key, (rec.value as { text: string }).text])).toEqual([
      ['1-in', newBsuid, 'sent before the change'],
    ]);
    expect([...r.store.users.keys()]).toEqual([`phone-1:${newBsuid}`]);
  });

  it('an agent answering the old key reaches the user under the new one', async () => {
    inAgentSession(`phone-1:${bsuid}`, { user_id: bsuid });
    await route(
      systemChange('wamid.sys', { type: 'user_changed_user_id', user_id: newBsuid, previous_user_id: bsuid }),
    );
    const emitted = await r.agentSays('1', {
      waID: bsuid,
      message_type: 'text',
      text: 'Hi',
      idempotency_key: 'k1',
    });
    expect(emitted).toEqual([]);
    // Only a BSUID is known: Meta's `recipient`, not `to` (graph-api.client.ts).
    expect(r.graph.calls[0]).toMatchObject({ to: { user_id: newBsuid }, body: { type: 'text' } });
    expect(r.store.sent.get('wamid.out.1')).toMatchObject({ userKey: newBsuid });
  });

  it('a change for a user the router never saw only records where the old key leads', async () => {
    const routed = await route(
      systemChange('wamid.sys', { type: 'user_changed_user_id', user_id: newBsuid, previous_user_id: bsuid }),
    );
    expect(routed.records).toEqual([]);
    expect(r.store.users.size).toBe(0);
    expect(r.store.movedKeys.get(bsuid)).toBe(newBsuid);
  });
});
