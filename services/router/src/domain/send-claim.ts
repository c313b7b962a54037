/**
 * The claim on one outbound message (`out:<agent>:<idempotency key>`). `pending`: claimed, the Graph API not yet
 * called; `sending`: the first call is about to happen or happened; the rest are final. An unfinished claim
 * carries its owner (one id per router process) and a lease on Redis' clock, so a claim left behind by a
 * crashed router is noticed instead of skipping the message forever.
 */
export type SendClaim =
  | { state: 'pending' | 'sending'; owner: string | null; leaseUntil: number }
  | SettledClaim;

/**
 * A claim that needs no more work here. `source` and `records`: the `-out` record it was settled for and what that
 * produced (errors, handover events), kept so that a replay of that same record, whose Kafka transaction cannot
 * have committed, publishes them again. `unresolved`: the owner died after the Graph call; the sweeper settles it
 * from a status or reports it as unknown once `SEND_UNKNOWN_AFTER_SECONDS` pass.
 */
export type SettledClaim = {
  state: FinalSendState | 'unresolved';
  source?: string;
  records?: unknown[];
};

export type FinalSendState = 'sent' | 'failed' | 'rejected';

export type ClaimDecision =
  /** Settled before: a duplicate, acknowledged and dropped (its records again if it is a replay of its source). */
  | { kind: 'skip'; state: SettledClaim['state']; claim: SettledClaim }
  /** Another live router holds the claim: try again once its lease may have run out. */
  | { kind: 'wait'; retryInMs: number }
  /** Claimed by a router that is gone before it called the Graph API: sending now cannot duplicate. */
  | { kind: 'take-over' }
  /**
   * The owner is gone and may have sent it: never re-sent (a visible duplicate). Settled from the first status
   * naming the send (`biz_opaque_callback_data`), else reported as unknown after a bounded wait.
   */
  | { kind: 'abandoned' };

const settledStates: readonly string[] = ['sent', 'failed', 'rejected', 'unresolved'];

/** Reads a stored claim. The first version stored a bare `pending` (no owner, no lease): treated as `sending`. */
export function parseClaim(raw: string | null): SendClaim | null {
  if (raw === null) return null;
  if (settledStates.includes(raw)) return { state: raw as FinalSendState };
  if (raw === 'pending') return { state: 'sending', owner: null, leaseUntil: 0 };
  const stored = JSON.parse(raw) as {
    state?: string;
    owner?: string;
    lease_until?: number;
    source?: string;
    records?: unknown[];
  };
  if (stored.state && settledStates.includes(stored.state))
    return {
      state: stored.state as SettledClaim['state'],
      ...(stored.source ? { source: stored.source } : {}),
      ...(stored.records ? { records: stored.records } : {}),
    };
  const state = stored.state === 'pending' ? 'pending' : 'sending';
  return { state, owner: stored.owner ?? null, leaseUntil: Number(stored.lease_until ?? 0) };
}

function isSettled(claim: SendClaim): claim is SettledClaim {
  return claim.state !== 'pending' && claim.state !== 'sending';
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
  if (isSettled(claim)) return { kind: 'skip', state: claim.state, claim };
  const isOwnerGone =
    claim.owner === ctx.owner || claim.leaseUntil <= ctx.nowMs || ctx.isClaimOwnerAlive === false;
  if (!isOwnerGone) return { kind: 'wait', retryInMs: claim.leaseUntil - ctx.nowMs };
  return claim.state === 'pending' ? { kind: 'take-over' } : { kind: 'abandoned' };
}

/**
 * A lease well beyond the longest send with retries: every attempt may time out and back off for the longest,
 * plus a minute of rate-limiter waits and slack. A live router never loses its claim to another.
 */
export function defaultClaimLeaseMs(send: { maxAttempts: number; timeoutMs: number; backoffMaxMs: number }) {
  return send.maxAttempts * (send.timeoutMs + send.backoffMaxMs) + 60_000;
}

/** Names one send across routers: the claim key's suffix, the `resolved:` key, the sweeper's entries. */
export function claimId(agentId: string, idempotencyKey: string): string {
  return `${agentId}:${idempotencyKey}`;
}

/** The records to publish again when the claim was settled for `source` itself: its transaction never committed. */
export function recordsToReplay(claim: SettledClaim, source: string): unknown[] {
  return claim.source === source ? (claim.records ?? []) : [];
}
