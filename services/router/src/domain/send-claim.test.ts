import { describe, expect, it } from 'vitest';
import { decideClaim, defaultClaimLeaseMs, parseClaim, recordsToReplay } from './send-claim.js';

const ctx = { owner: 'me', nowMs: 10_000 };
const claim = (state: string, owner: string, leaseUntil: number) =>
  parseClaim(JSON.stringify({ state, owner, lease_until: leaseUntil }));

describe('decideClaim', () => {
  it('skips messages already sent, failed or rejected', () => {
    expect(decideClaim(parseClaim('sent'), ctx)).toMatchObject({ kind: 'skip', state: 'sent' });
    expect(decideClaim(parseClaim('rejected'), ctx)).toMatchObject({ kind: 'skip', state: 'rejected' });
    expect(decideClaim(parseClaim('{"state":"unresolved"}'), ctx)).toMatchObject({ kind: 'skip' });
  });

  it("publishes a settled claim's records again only for a replay of the record it was settled for", () => {
    const settled = parseClaim(
      JSON.stringify({ state: 'rejected', source: 'a-out:0:7', records: [{ x: 1 }] }),
    );
    const decision = decideClaim(settled, ctx);
    if (decision.kind !== 'skip') throw new Error(decision.kind);
    expect(recordsToReplay(decision.claim, 'a-out:0:7')).toEqual([{ x: 1 }]);
    expect(recordsToReplay(decision.claim, 'a-out:0:9')).toEqual([]);
    expect(recordsToReplay({ state: 'sent' }, 'a-out:0:7')).toEqual([]);
  });

  it('waits while another router holds a live lease', () => {
    expect(decideClaim(claim('pending', 'other', 12_500), ctx)).toEqual({ kind: 'wait', retryInMs: 2_500 });
    expect(decideClaim(claim('sending', 'other', 10_001), ctx)).toEqual({ kind: 'wait', retryInMs: 1 });
  });

  it('does not wait for the lease of an owner that stopped refreshing its presence', () => {
    const dead = { ...ctx, isClaimOwnerAlive: false };
    expect(decideClaim(claim('pending', 'other', 12_500), dead)).toEqual({ kind: 'take-over' });
    expect(decideClaim(claim('sending', 'other', 12_500), dead)).toEqual({ kind: 'abandoned' });
  });

  it('takes over a pending claim whose owner is gone: the Graph API was never called', () => {
    expect(decideClaim(claim('pending', 'dead', 9_999), ctx)).toEqual({ kind: 'take-over' });
    expect(decideClaim(claim('pending', 'me', 20_000), ctx)).toEqual({ kind: 'take-over' });
    expect(decideClaim(null, ctx)).toEqual({ kind: 'take-over' });
  });

  it('never re-sends a claim that may have reached the Graph API (abandoned: settled from statuses)', () => {
    expect(decideClaim(claim('sending', 'dead', 10_000), ctx)).toEqual({ kind: 'abandoned' });
    expect(decideClaim(claim('sending', 'me', 20_000), ctx)).toEqual({ kind: 'abandoned' });
    expect(decideClaim(parseClaim('pending'), ctx)).toEqual({ kind: 'abandoned' });
  });
});

describe('defaultClaimLeaseMs', () => {
  it('outlasts every attempt timing out and backing off for the longest', () => {
    expect(defaultClaimLeaseMs({ maxAttempts: 5, timeoutMs: 10_000, backoffMaxMs: 30_000 })).toBe(260_000);
  });
});
