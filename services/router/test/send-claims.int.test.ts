import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, waitFor } from './support/harness.js';

// A router that crashed between claiming a message and calling the Graph API leaves the claim behind.
let h: Harness;
const sendsOf = (text: string) => h.graph.requests.filter((r) => JSON.stringify(r.body).includes(text));

async function inSessionWithAgent1(waID: string) {
  const prefix = h.config.REDIS_KEY_PREFIX;
  await h.redis.set(`${prefix}session:${waID}`, JSON.stringify({ state: 'agent', agentId: '1' }));
  const window = { last_inbound_at: new Date().toISOString(), user: { wa_id: waID } };
  await h.redis.set(`${prefix}window:${waID}`, JSON.stringify(window));
}

/** A claim owned by `owner`, its lease ending `leaseMs` from now on Redis' clock. */
async function leaveClaim(key: string, state: 'pending' | 'sending', leaseMs: number, owner = 'dead-router') {
  const [seconds, micros] = await h.redis.time();
  const leaseUntil = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) + leaseMs;
  const value = JSON.stringify({ state, owner, lease_until: leaseUntil });
  await h.redis.set(`${h.config.REDIS_KEY_PREFIX}out:1:${key}`, value, 'EX', 600);
  return leaseUntil;
}

beforeAll(async () => {
  h = await startHarness({ SEND_CLAIM_LEASE_SECONDS: '5' });
  await h.putAgent(1, 'Sales');
  await h.watch([h.topics('a1').error]);
  await h.router.start();
});
afterAll(async () => h?.stop());

describe('outbound claims left by a crashed router', () => {
  it('waits out the lease of a router that is still there (stuck), then sends the message once', async () => {
    const waID = '15550000001';
    await inSessionWithAgent1(waID);
    await h.redis.set(`${h.config.REDIS_KEY_PREFIX}router:alive:stuck-router`, '1', 'EX', 60);
    const leaseUntil = await leaveClaim('crash-pending', 'pending', 2_000, 'stuck-router');
    await h.agentSays(1, {
      waID,
      message_type: 'text',
      text: 'after crash',
      idempotency_key: 'crash-pending',
    });
    const sent = await waitFor('sent once the lease ran out', () => sendsOf('after crash')[0], 25_000);
    expect(sent.at).toBeGreaterThanOrEqual(leaseUntil - 50);
    await h.agentSays(1, {
      waID,
      message_type: 'text',
      text: 'after crash',
      idempotency_key: 'crash-pending',
    });
    await h.agentSays(1, { waID, message_type: 'text', text: 'marker', idempotency_key: 'marker' });
    await waitFor('later message sent', () => sendsOf('marker')[0]);
    expect(sendsOf('after crash')).toHaveLength(1);
    expect(await h.redis.get(`${h.config.REDIS_KEY_PREFIX}out:1:crash-pending`)).toBe('sent');
  }, 40_000);

  it('takes over at once the pending claim of a crashed router (no presence), long before its lease ends', async () => {
    const waID = '15550000003';
    await inSessionWithAgent1(waID);
    const leaseUntil = await leaveClaim('crash-dead', 'pending', 60_000);
    await h.agentSays(1, { waID, message_type: 'text', text: 'dead owner', idempotency_key: 'crash-dead' });
    const sent = await waitFor('sent', () => sendsOf('dead owner')[0]);
    expect(sent.at).toBeLessThan(leaseUntil - 30_000);
    expect(sendsOf('dead owner')).toHaveLength(1);
  });

  it('reports a claim that may have reached the Graph API on -error instead of sending it twice', async () => {
    const waID = '15550000002';
    await inSessionWithAgent1(waID);
    await leaveClaim('crash-sending', 'sending', 60_000);
    await h.agentSays(1, {
      waID,
      message_type: 'text',
      text: 'maybe sent',
      idempotency_key: 'crash-sending',
    });
    const error = await waitFor('-error', () =>
      h.received(h.topics('a1').error).find((e) => e.idempotency_key === 'crash-sending'),
    );
    expect(error).toMatchObject({
      code: 'send_failed',
      waID,
      text: expect.stringContaining('delivery unknown after a router restart'),
    });
    expect(sendsOf('maybe sent')).toHaveLength(0);
    expect(await h.redis.get(`${h.config.REDIS_KEY_PREFIX}out:1:crash-sending`)).toBe('failed');
  });
});
