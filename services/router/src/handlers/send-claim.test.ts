import { beforeEach, describe, expect, it } from 'vitest';
import type { OutRecord } from '../domain/ports.js';
import { claimId } from '../domain/send-claim.js';
import { type FakeRouter, fakeRouter } from '../testing/handler-deps.js';
import { type ClaimedRun, runClaimed, SendInProgressError, type Settlement } from './send-claim.js';

let r: FakeRouter;
let sends: number;
const errorRecord: OutRecord = { topic: '1-error', key: '4915', value: { code: 'send_failed' } };

function run(source: string, settlement: Settlement = { state: 'sent', records: [] }) {
  const emitted: OutRecord[] = [];
  const claimed: ClaimedRun = {
    source,
    waID: '4915',
    emit: (records) => void emitted.push(...records),
    send: async (markSending) => {
      await markSending();
      sends += 1;
      return settlement;
    },
  };
  return { emitted, claimed };
}

/** A claim as another router left it: `state`, owned by `owner`, leased until `leaseUntil`. */
function leftBy(owner: string, state: 'pending' | 'sending', leaseUntil: number) {
  r.claims.values.set(claimId('1', 'k'), JSON.stringify({ state, owner, lease_until: leaseUntil }));
}

beforeEach(() => {
  r = fakeRouter();
  sends = 0;
});

describe('runClaimed', () => {
  it('sends a new message once and settles its claim with what it produced', async () => {
    const { emitted, claimed } = run('1-out:0:7', { state: 'failed', records: [errorRecord] });
    await runClaimed(r.deps.outbound, '1', 'k', claimed);
    expect(sends).toBe(1);
    expect(emitted).toEqual([errorRecord]);
    expect(JSON.parse(r.claims.values.get(claimId('1', 'k')) ?? '')).toEqual({
      state: 'failed',
      source: '1-out:0:7',
      records: [errorRecord],
    });
  });

  it('replays a settled claim’s records only for the record it was settled for', async () => {
    await runClaimed(
      r.deps.outbound,
      '1',
      'k',
      run('1-out:0:7', { state: 'failed', records: [errorRecord] }).claimed,
    );
    const replay = run('1-out:0:7');
    await runClaimed(r.deps.outbound, '1', 'k', replay.claimed);
    expect(replay.emitted).toEqual([errorRecord]);
    const duplicate = run('1-out:0:8');
    await runClaimed(r.deps.outbound, '1', 'k', duplicate.claimed);
    expect(duplicate.emitted).toEqual([]);
    expect(sends).toBe(1);
  });

  it('waits (throws) while another live router holds the claim under its lease', async () => {
    r.claims.alive.add('other');
    leftBy('other', 'pending', r.claims.nowMs + 30_000);
    await expect(runClaimed(r.deps.outbound, '1', 'k', run('1-out:0:7').claimed)).rejects.toBeInstanceOf(
      SendInProgressError,
    );
    expect(sends).toBe(0);
  });

  it('takes over a pending claim of a router that is gone: it never called Meta', async () => {
    leftBy('gone', 'pending', r.claims.nowMs + 30_000);
    await runClaimed(r.deps.outbound, '1', 'k', run('1-out:0:7').claimed);
    expect(sends).toBe(1);
    expect(r.claims.stateOf('1', 'k')).toBe('sent');
  });

  it('never re-sends a sending claim of a router that is gone: it waits for a status naming it', async () => {
    leftBy('gone', 'sending', r.claims.nowMs + 30_000);
    await runClaimed(r.deps.outbound, '1', 'k', run('1-out:0:7').claimed);
    expect(sends).toBe(0);
    expect(r.claims.stateOf('1', 'k')).toBe('unresolved');
    expect([...r.claims.unresolved.values()]).toEqual([r.claims.nowMs + 120_000]);
  });

  it('settles such a claim as sent when a status already named the send', async () => {
    leftBy('gone', 'sending', r.claims.nowMs + 30_000);
    r.store.resolved.set(claimId('1', 'k'), 'wamid.out.5');
    await runClaimed(r.deps.outbound, '1', 'k', run('1-out:0:7').claimed);
    expect(sends).toBe(0);
    expect(r.claims.stateOf('1', 'k')).toBe('sent');
  });

  it('refuses a second copy of a claim this process is still working on', async () => {
    r.deps.outbound.inFlight.add(claimId('1', 'k'));
    await expect(runClaimed(r.deps.outbound, '1', 'k', run('1-out:0:7').claimed)).rejects.toBeInstanceOf(
      SendInProgressError,
    );
  });
});
