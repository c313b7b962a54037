import { DomainError } from '@wa-broker/shared/errors';
import type { Logger } from '@wa-broker/shared/logger';
import type { SendClaims } from '../adapters/send-claims.redis.js';
import { type ClaimDecision, decideClaim, parseClaim } from '../domain/send-claim.js';

/** Thrown so the record's offset is not committed: kafkajs replays it once the other router may be done. */
export class SendInProgressError extends DomainError<'send_in_progress'> {
  constructor(id: string, retryInMs: number) {
    super('send_in_progress', `${id} is being sent by another router (lease ends in ${retryInMs} ms)`);
  }
}

/** Thrown by the guard before the first Graph call when another router took the claim over meanwhile. */
export class ClaimLostError extends DomainError<'claim_lost'> {
  constructor(id: string) {
    super('claim_lost', `${id} was taken over by another router before it was sent`);
  }
}

export type ClaimResult =
  | { kind: 'send'; markSending: () => Promise<void> }
  | Extract<ClaimDecision, { kind: 'skip' | 'unknown' }>;

/**
 * Claims one outbound message for this process. A live claim elsewhere throws SendInProgressError; a claim
 * left by a router that is gone is taken over (never called the Graph API) or reported as unknown (may have).
 */
export async function claimOutbound(
  claims: SendClaims,
  agentId: string,
  idempotencyKey: string,
): Promise<ClaimResult> {
  let expected: string | null = null;
  // Bounded: each lap means another router changed the claim between our read and our write.
  for (let lap = 0; lap < 5; lap++) {
    const swap = await claims.swap(agentId, idempotencyKey, expected, 'pending');
    if (swap.swapped)
      return { kind: 'send', markSending: sendingGuard(claims, agentId, idempotencyKey, swap) };
    const claim = parseClaim(swap.current);
    let decision = decideClaim(claim, { owner: claims.owner, nowMs: swap.nowMs });
    // Leased by another router: only worth waiting for if that router is still there.
    if (decision.kind === 'wait' && claim && 'owner' in claim && claim.owner) {
      const isClaimOwnerAlive = await claims.isOwnerAlive(claim.owner);
      decision = decideClaim(claim, { owner: claims.owner, nowMs: swap.nowMs, isClaimOwnerAlive });
    }
    if (decision.kind === 'wait') throw new SendInProgressError(idempotencyKey, decision.retryInMs);
    if (decision.kind !== 'take-over') return decision;
    expected = swap.current;
  }
  throw new SendInProgressError(idempotencyKey, 0);
}

/** `pending` → `sending` right before the first Graph call, only if the claim is still ours. */
function sendingGuard(claims: SendClaims, agentId: string, key: string, claimed: { current: string | null }) {
  return async () => {
    const swap = await claims.swap(agentId, key, claimed.current, 'sending');
    if (!swap.swapped) throw new ClaimLostError(key);
  };
}

export interface ClaimedRunDeps {
  claims: SendClaims;
  /** Claims this process is working on now: a second copy of one of them waits instead of taking it over. */
  inFlight: Set<string>;
  logger: Logger;
}

/** The text an agent gets when a router died while its message may have been with the Graph API. */
export const deliveryUnknownText =
  'delivery unknown after a router restart: the message may or may not have reached the user, and it is not ' +
  'sent again to avoid a duplicate';

/**
 * Runs `send` under the message's claim. A finished claim is a duplicate (skipped); a claim left half-way by a
 * router that is gone goes to `onUnknown` and ends as failed. SendInProgressError propagates (replay later).
 */
export async function runClaimed(
  deps: ClaimedRunDeps,
  agentId: string,
  key: string,
  handlers: { send: (markSending: () => Promise<void>) => Promise<void>; onUnknown: () => Promise<void> },
): Promise<void> {
  const id = `${agentId}:${key}`;
  if (deps.inFlight.has(id)) throw new SendInProgressError(key, 0);
  deps.inFlight.add(id);
  try {
    const claim = await claimOutbound(deps.claims, agentId, key);
    if (claim.kind === 'skip')
      return deps.logger.info(
        { agent: agentId, idempotency_key: key, state: claim.state },
        'outbound duplicate skipped',
      );
    if (claim.kind === 'unknown') {
      await handlers.onUnknown();
      return await deps.claims.finish(agentId, key, 'failed');
    }
    await handlers.send(claim.markSending);
  } catch (error) {
    if (!(error instanceof ClaimLostError)) throw error;
    deps.logger.warn({ agent: agentId, idempotency_key: key }, 'outbound claim taken over, not sent');
  } finally {
    deps.inFlight.delete(id);
  }
}
