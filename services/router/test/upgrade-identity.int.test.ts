import { eventually } from '@wa-broker/infra/poll';
import { conversationKey } from '@wa-broker/shared/user-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

/**
 * Upgrading from the release that keyed users by `wa_id` (else the BSUID) for its one number: every open session
 * survives (issue 17). The state below is what that release wrote: `session:<user>` and `window:<user>`, with
 * their TTLs, in its JSON shapes.
 */
let h: Harness;
const phoneUser = '15550007001';
const bsuid = 'US.70017001700170017001';
const bsuidOnly = 'GB.70027002700270027002';
const key = (kind: string, user: string) => `${h.config.REDIS_KEY_PREFIX}${kind}:${user}`;
const conversation = (user: string) => conversationKey(h.config.GRAPH_PHONE_NUMBER_ID, user);
const agentIn = () => h.received(h.topics('a1').in);

async function writeAsPreviousRelease(user: string, identity: Record<string, string>) {
  const window = { last_inbound_at: new Date(Date.now() - 60_000).toISOString(), user: identity };
  await h.redis.set(key('session', user), JSON.stringify({ state: 'agent', agentId: '1' }), 'EX', 3600);
  await h.redis.set(key('window', user), JSON.stringify(window), 'EX', 7200);
}

beforeAll(async () => {
  h = await startHarness();
  await h.putAgent(1, 'Sales');
  await h.watch([h.topics('a1').in, h.topics('a1').error]);
  await writeAsPreviousRelease(phoneUser, { wa_id: phoneUser, name: 'Jane' });
  await writeAsPreviousRelease(bsuidOnly, { user_id: bsuidOnly, name: 'Kim' });
  await h.router.start();
});
afterAll(async () => h?.stop());

describe('upgrading from the release keyed by wa_id', () => {
  it('moves every open session to the default number at start, keeping its TTL', async () => {
    for (const user of [phoneUser, bsuidOnly]) {
      expect(await h.redis.exists(key('session', user), key('window', user))).toBe(0);
      expect(JSON.parse((await h.redis.get(key('session', conversation(user)))) ?? 'null')).toEqual({
        state: 'agent',
        agentId: '1',
      });
      const ttl = await h.redis.ttl(key('session', conversation(user)));
      expect(ttl).toBeGreaterThan(3000);
      expect(ttl).toBeLessThanOrEqual(3600);
    }
  });

  it('an agent still answers the phone it knew, before the user writes again', async () => {
    await h.agentSays(1, {
      waID: phoneUser,
      message_type: 'text',
      text: 'still here',
      idempotency_key: 'u1',
    });
    const sent = await eventually(() => h.graph.to(phoneUser)[0], { what: 'the reply to the phone' });
    expect(sent.body).toMatchObject({ type: 'text', text: { body: 'still here' } });
  });

  it('the first message with a BSUID continues the session under it, and tells the agent first', async () => {
    const wamid = 'wamid.upgrade.1';
    await h.inboundMany([
      {
        user: phoneUser,
        userId: bsuid,
        item: {
          id: wamid,
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: 'text',
          text: { body: 'again' },
        },
      },
    ]);
    const events = await eventually(
      () => {
        const mine = agentIn().filter((e) => e.waID === bsuid);
        return mine.some((e) => e.wamid === wamid) && mine;
      },
      { what: 'the message at the agent' },
    );
    expect(events.map((e) => [e.type, e.text])).toEqual([
      ['identity_changed', 'user_id_learnt'],
      ['text', 'again'],
    ]);
    expect(events[0]).toMatchObject({
      identity: { previous_waID: phoneUser },
      phone_number_id: '106540352242922',
    });
    expect(await h.redis.exists(key('session', conversation(phoneUser)))).toBe(0);
    // No menu: the session went on. The phone is still known, so replies keep `to`.
    await h.agentSays(1, { waID: bsuid, message_type: 'text', text: 'by BSUID', idempotency_key: 'u2' });
    const reply = await eventually(
      () => h.graph.requests.find((r) => JSON.stringify(r.body).includes('by BSUID')),
      { what: 'the reply by BSUID' },
    );
    expect(reply.body).toMatchObject({ to: phoneUser });
    expect(reply.body.recipient).toBeUndefined();
    expect(h.graph.to(phoneUser).map((r) => r.body.type)).toEqual(['text', 'text']);
  });

  it('a user the previous release keyed by BSUID writes on in the same session, answered by `recipient`', async () => {
    const wamid = 'wamid.upgrade.2';
    await h.inboundMany([
      {
        user: '',
        userId: bsuidOnly,
        item: {
          id: wamid,
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: 'text',
          text: { body: 'hi' },
        },
      },
    ]);
    await eventually(() => agentIn().find((e) => e.wamid === wamid && e.waID === bsuidOnly), {
      what: 'the BSUID user’s message at the agent',
    });
    await h.agentSays(1, {
      waID: bsuidOnly,
      message_type: 'text',
      text: 'to a BSUID',
      idempotency_key: 'u3',
    });
    const reply = await eventually(
      () => h.graph.requests.find((r) => JSON.stringify(r.body).includes('to a BSUID')),
      { what: 'the reply' },
    );
    expect(reply.body).toMatchObject({ recipient: bsuidOnly });
    expect(reply.body.to).toBeUndefined();
    expect(
      h.graph.requests.some((r) => r.body.recipient === bsuidOnly && r.body.type === 'interactive'),
    ).toBe(false);
  });
});
