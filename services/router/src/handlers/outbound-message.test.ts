import { deadLetterRecord } from '@wa-broker/shared/dead-letter';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OutRecord } from '../domain/ports.js';
import { decodeSendReference } from '../domain/send-callback.js';
import { type FakeRouter, fakeRouter, topics } from '../testing/handler-deps.js';
import { handleOutbound, type SourceMessage } from './outbound-message.js';

let r: FakeRouter;
let offset = 0;

function fromAgent(
  agentId: string,
  message: Record<string, unknown>,
  topic = `${agentId}-out`,
): SourceMessage {
  return { topic, partition: 0, offset: String(offset++), value: Buffer.from(JSON.stringify(message)) };
}

async function handle(source: SourceMessage): Promise<OutRecord[]> {
  const emitted: OutRecord[] = [];
  await handleOutbound(source, r.deps.outbound, (records) => void emitted.push(...records));
  return emitted;
}

/** The user wrote `minutesAgo` minutes ago and is in a session with agent `agentId`. */
function inSession(user: string, agentId = '1', minutesAgo = 5) {
  const lastInboundAt = new Date(r.clock.now.getTime() - minutesAgo * 60_000);
  r.store.users.set(`phone-1:${user}`, {
    session: { state: 'agent', agentId },
    window: { lastInboundAt, user: { wa_id: user, name: 'Ann' } },
  });
}

beforeEach(() => {
  r = fakeRouter();
  offset = 0;
});

describe('handleOutbound', () => {
  it('sends an agent’s reply in session once, named in the callback data, and records its wamid', async () => {
    inSession('4915');
    const emitted = await handle(
      fromAgent('1', { waID: '4915', message_type: 'text', text: 'Hello', idempotency_key: 'k1' }),
    );
    // Only the cost report hears of it (issue 19 §5): who sent it, from which number, what kind.
    expect(emitted).toEqual([
      {
        topic: 'message-costs',
        key: 'wamid.out.1',
        value: {
          v: 1,
          kind: 'sent',
          wamid: 'wamid.out.1',
          phone_number_id: 'phone-1',
          agent_id: '1',
          origin: 'agent',
          message_type: 'text',
          sent_at: r.clock.now.toISOString(),
        },
      },
    ]);
    expect(r.graph.calls).toHaveLength(1);
    expect(r.graph.calls[0]).toMatchObject({
      to: { wa_id: '4915' },
      body: { type: 'text', text: { body: 'Hello' } },
    });
    expect(decodeSendReference(r.graph.calls[0]?.callbackData)).toEqual({
      agentId: '1',
      idempotencyKey: 'k1',
    });
    expect(r.store.sent.get('wamid.out.1')).toEqual({
      agentId: '1',
      userKey: '4915',
      idempotencyKey: 'k1',
      phoneNumberId: 'phone-1',
    });
    expect(r.claims.stateOf('1', 'k1')).toBe('sent');
    // The same idempotency key again (an agent retrying): acknowledged, not sent twice.
    await handle(
      fromAgent('1', { waID: '4915', message_type: 'text', text: 'Hello', idempotency_key: 'k1' }),
    );
    expect(r.graph.calls).toHaveLength(1);
  });

  it('refuses a reply from an agent the user is not in session with', async () => {
    inSession('4915', '2');
    const emitted = await handle(fromAgent('1', { waID: '4915', message_type: 'text', text: 'Hi' }));
    expect(r.graph.calls).toEqual([]);
    expect(emitted).toMatchObject([{ topic: '1-error', key: '4915', value: { code: 'not_in_session' } }]);
    expect(r.claims.stateOf('1', '1-out:0:0')).toBe('rejected');
  });

  it('refuses free-form text once the 24 h window is closed, without calling Meta', async () => {
    inSession('4915', '1', 25 * 60);
    const emitted = await handle(fromAgent('1', { waID: '4915', message_type: 'text', text: 'late' }));
    expect(r.graph.calls).toEqual([]);
    expect(emitted).toMatchObject([{ topic: '1-error', value: { code: 'window_closed' } }]);
  });

  it('sends "typing…" in an open window only; outside it nothing reaches Meta and the agent hears why', async () => {
    const typing = (waID: string, key: string) =>
      fromAgent('1', {
        waID,
        message_type: 'mark_as_read',
        context_message_id: `wamid.in.${waID}`,
        typing_indicator: true,
        idempotency_key: key,
      });
    inSession('4915');
    expect((await handle(typing('4915', 'open'))).map((rec) => rec.topic)).not.toContain('1-error');
    expect(r.graph.calls).toMatchObject([
      { body: { type: 'mark_as_read', message_id: 'wamid.in.4915', typing_indicator: true } },
    ]);

    inSession('4916', '1', 25 * 60);
    inSession('4917', '2');
    const closed = await handle(typing('4916', 'closed'));
    const elsewhere = await handle(typing('4917', 'elsewhere'));
    const unknown = await handle(typing('4918', 'unknown'));
    expect(r.graph.calls).toHaveLength(1);
    expect(closed).toMatchObject([
      {
        topic: '1-error',
        key: '4916',
        value: { code: 'window_closed', idempotency_key: 'closed', text: expect.stringContaining('typing') },
      },
    ]);
    expect(elsewhere).toMatchObject([
      { topic: '1-error', value: { code: 'not_in_session', idempotency_key: 'elsewhere' } },
    ]);
    expect(unknown).toMatchObject([{ topic: '1-error', value: { code: 'not_in_session' } }]);
    expect(r.claims.stateOf('1', 'closed')).toBe('rejected');

    // The plain read receipt of the closed window's message still goes out.
    const receipt = fromAgent('1', {
      waID: '4916',
      message_type: 'mark_as_read',
      context_message_id: 'wamid.in.4916',
    });
    expect((await handle(receipt)).map((rec) => rec.topic)).not.toContain('1-error');
    expect(r.graph.calls[1]?.body).toEqual({ type: 'mark_as_read', message_id: 'wamid.in.4916' });
  });

  it('tells the agent window_closed when Meta answers 131047, without a dead letter', async () => {
    inSession('4915');
    r.graph.script.push({
      ok: false,
      httpStatus: 400,
      metaError: { code: 131047, title: 'Re-engagement message' },
      reason: 'x',
    });
    const emitted = await handle(fromAgent('1', { waID: '4915', message_type: 'text', text: 'Hi' }));
    expect(emitted.map((rec) => rec.topic)).toEqual(['1-error']);
    expect(emitted[0]?.value).toMatchObject({ code: 'window_closed', meta_error: { code: 131047 } });
    expect(r.claims.stateOf('1', '1-out:0:0')).toBe('failed');
  });

  it('retries 5xx up to the attempt limit, then reports send_failed to the agent and the dead letter', async () => {
    inSession('4915');
    for (let i = 0; i < 3; i++)
      r.graph.script.push({ ok: false, httpStatus: 503, reason: 'Graph API answered HTTP 503' });
    const emitted = await handle(fromAgent('1', { waID: '4915', message_type: 'text', text: 'Hi' }));
    expect(r.graph.calls).toHaveLength(3);
    expect(emitted.map((rec) => rec.topic)).toEqual(['1-error', topics.deadLetter]);
    expect(emitted[0]?.value).toMatchObject({ code: 'send_failed', source: { topic: '1-out', offset: '0' } });
    expect(emitted[1]).toMatchObject({
      key: '4915',
      value: {
        v: 1,
        reason: 'send_failed',
        source: { topic: '1-out', partition: 0, offset: '0' },
        waID: '4915',
        agent: '1',
      },
    });
    expect(deadLetterRecord.safeParse(emitted[1]?.value).success).toBe(true);
  });

  it('ends a session: the user is back at the menu, the agent gets session_ended, the user a notice', async () => {
    inSession('4915');
    const emitted = await handle(
      fromAgent('1', { waID: '4915', message_type: 'end_session', reason: 'done' }),
    );
    expect(r.store.users.get('phone-1:4915')?.session).toMatchObject({ state: 'menu' });
    expect(emitted.find((rec) => rec.topic === '1-in')?.value).toMatchObject({
      type: 'session_ended',
      session: { reason: 'agent_ended' },
    });
    const notices = emitted
      .filter((rec) => rec.topic === topics.routerOut)
      .map((rec) => JSON.stringify(rec.value));
    expect(notices[0]).toContain('Sales ended the conversation. done');
    expect(r.graph.calls).toEqual([]);
  });

  it('transfers a user: the session moves and the target agent gets session_started with the note', async () => {
    inSession('4915');
    const emitted = await handle(
      fromAgent('1', { waID: '4915', message_type: 'transfer', transfer_to: 'Support', reason: 'billing' }),
    );
    expect(r.store.users.get('phone-1:4915')?.session).toEqual({ state: 'agent', agentId: '2' });
    expect(emitted.find((rec) => rec.topic === '2-in')?.value).toMatchObject({
      type: 'session_started',
      session: { reason: 'transfer', from_agent: '1', note: 'billing' },
    });
  });

  it('dead-letters records on an -out topic no active agent writes to', async () => {
    const emitted = await handle(fromAgent('9', { waID: '4915', message_type: 'text', text: 'Hi' }));
    expect(emitted).toMatchObject([
      {
        topic: topics.deadLetter,
        key: '9-out',
        value: { reason: 'unknown_agent', source: { topic: '9-out', partition: 0, offset: '0' } },
      },
    ]);
    expect(deadLetterRecord.safeParse(emitted[0]?.value).success).toBe(true);
  });

  it('sends the router’s own messages from router-out under the router’s claim', async () => {
    const body = { type: 'text', text: { body: 'Connecting you to Sales.' } };
    const source = fromAgent(
      'router',
      { v: 1, waID: '4915', user: { wa_id: '4915' }, idempotency_key: 'wamid.in.1:0', body },
      topics.routerOut,
    );
    expect(await handle(source)).toMatchObject([
      { topic: 'message-costs', value: { kind: 'sent', agent_id: null, origin: 'router' } },
    ]);
    expect(r.graph.calls[0]?.body).toEqual(body);
    expect(r.claims.stateOf('router', 'wamid.in.1:0')).toBe('sent');
  });
});
