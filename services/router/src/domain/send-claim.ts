/**
 * The claim on one outbound message (`out:<agent>:<idempotency key>`). `pending`: claimed, the Graph API not yet
 * called; `sending`: the first call is about to happen or happened; the rest are final. An unfinished claim
 * carries its owner (one id per router process) and a lease on Redis' clock, so a claim left behind by a
 * crashed router is noticed instead of skipping the message forever.
 */
export type SendClaim =
  | { state: 'pending' | 'sending'; owner: string | null; leaseUntil: number }
  | { state: FinalSendState };

export type FinalSendState = 'sent' | 'failed' | 'rejected';

export type ClaimDecision =
  /** Finished before: a duplicate, acknowledged and dropped. */
  | { kind: 'skip'; state: FinalSendState }
  /** Another live router holds the claim: try again once its lease may have run out. */
  | { kind: 'wait'; retryInMs: number }
  /** Claimed by a router that is gone before it called the Graph API: sending now cannot duplicate. */
  | { kind: 'take-over' }
  /** The owner is gone and may have sent it: never re-sent (a visible duplicate), reported instead. */
  | { kind: 'unknown' };

const finalStates: readonly string[] = ['sent', 'failed', 'rejected'];

/** Reads a stored claim. The first version stored a bare `pending` (no owner, no lease): treated as `sending`. */
export function parseClaim(raw: string | null): SendClaim | null {
  if (raw === null) return null;
  if (finalStates.includes(raw)) return { state: raw as FinalSendState };
  if (raw === 'pending') return { state: 'sending', owner: null, leaseUntil: 0 };
  const stored = JSON.parse(raw) as { state?: string; owner?: string; lease_until?: number };
  const state = stored.state === 'pending' ? 'pending' : 'sending';
  return { state, owner: stored.owner ?? null, leaseUntil: Number(stored.lease_until ?? 0) };
}

/**
 * What a router does with a message whose claim exists. `owner` is this process: a claim of its own that it is
 * not working on (the caller checks) was left by an earlier attempt that failed half-way, so it counts as gone.
 * `isClaimOwnerAlive` (every router refreshes a short-lived presence key): false when the owner stopped
 * refreshing it, so a crashed router's claims are picked up in seconds, not at the end of the lease; the lease
 * still bounds a live but stuck owner.
 */
export function decideClaim(
  claim: SendClaim | null,
  ctx: { owner: string; nowMs: number; isClaimOwnerAlive?: boolean },
): ClaimDecision {
  if (claim === null) return { kind: 'take-over' };
  if (claim.state !== 'pending' && claim.state !== 'sending') return { kind: 'skip', state: claim.state };
  const isOwnerGone =
    claim.owner === ctx.owner || claim.leaseUntil <= ctx.nowMs || ctx.isClaimOwnerAlive === false;
  if (!isOwnerGone) return { kind: 'wait', retryInMs: claim.leaseUntil - ctx.nowMs };
  return claim.state === 'pending' ? { kind: 'take-over' } : { kind: 'unknown' };
}

/**
 * A lease well beyond the longest send with retries: every attempt may time out and back off for the longest,
 * plus a minute of rate-limiter waits and slack. A live router never loses its claim to another.
 */
export function defaultClaimLeaseMs(send: { maxAttempts: number; timeoutMs: number; backoffMaxMs: number }) {
  return send.maxAttempts * (send.timeoutMs + send.backoffMaxMs) + 60_000;
}
