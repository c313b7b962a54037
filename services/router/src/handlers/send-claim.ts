import { DomainError } from '@wa-broker/shared/errors';
import type { Logger } from '@wa-broker/shared/logger';
import type { ClaimSwap, OutRecord, SendClaimStore, UserState } from '../domain/ports.js';
import {
  type ClaimDecision,
  claimId,
  decideClaim,
  type FinalSendState,
  parseClaim,
  recordsToReplay,
} from '../domain/send-claim.js';
import { retryStateWrite } from './retry-state-write.js';

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
  | Extract<ClaimDecision, { kind: 'skip' }>
  /** `current`: the claim as read, for the compare-and-set that marks it unresolved. */
  | { kind: 'abandoned'; current: string | null };

/**
 * Claims one outbound message for this process. A live claim elsewhere throws SendInProgressError; a claim
 * left by a router that is gone is taken over (never called the Graph API) or returned as abandoned (may have).
 */
export async function claimOutbound(
  claims: SendClaimStore,
  agentId: string,
  idempotencyKey: string,
  /** Claims of this process whose `sending` mark may be stored but whose Graph call certainly never happened. */
  neverCalled: Set<string> = new Set(),
): Promise<ClaimResult> {
  const id = claimId(agentId, idempotencyKey);
  let expected: string | null = null;
  // Bounded: each lap means another router changed the claim between our read and our write.
  for (let lap = 0; lap < 5; lap++) {
    const swap = await claims.swap(agentId, idempotencyKey, expected, 'pending');
    if (swap.swapped) {
      neverCalled.delete(id);
      return { kind: 'send', markSending: sendingGuard(claims, agentId, idempotencyKey, swap, neverCalled) };
    }
    const claim = parseClaim(swap.current);
    let decision = decideClaim(claim, { owner: claims.owner, nowMs: swap.nowMs });
    // Leased by another router: only worth waiting for if that router is still there.
    if (decision.kind === 'wait' && claim && 'owner' in claim && claim.owner) {
      const isClaimOwnerAlive = await claims.isOwnerAlive(claim.owner);
      decision = decideClaim(claim, { owner: claims.owner, nowMs: swap.nowMs, isClaimOwnerAlive });
    }
    if (decision.kind === 'wait') throw new SendInProgressError(idempotencyKey, decision.retryInMs);
    // Our own `sending` mark whose answer never came back (Redis went away): we know the call was not made.
    if (decision.kind === 'abandoned' && !neverCalled.has(id))
      return { kind: 'abandoned', current: swap.current };
    if (decision.kind === 'abandoned') decision = { kind: 'take-over' };
    if (decision.kind !== 'take-over') return decision;
    expected = swap.current;
  }
  throw new SendInProgressError(idempotencyKey, 0);
}

/**
 * `pending` → `sending` right before the first Graph call, only if the claim is still ours. If the mark's answer is
 * lost (Redis went away after writing it), the claim may read `sending` though nothing was sent: remembered, so
 * this process's replay sends it instead of waiting for a status that cannot come.
 */
function sendingGuard(
  claims: SendClaimStore,
  agentId: string,
  key: string,
  claimed: { current: string | null },
  neverCalled: Set<string>,
) {
  return async () => {
    let swap: ClaimSwap;
    try {
      swap = await claims.swap(agentId, key, claimed.current, 'sending');
    } catch (error) {
      neverCalled.add(claimId(agentId, key));
      throw error;
    }
    if (!swap.swapped) throw new ClaimLostError(key);
  };
}

export interface ClaimedRunDeps {
  claims: SendClaimStore;
  /** Claims this process is working on now: a second copy of one of them waits instead of taking it over. */
  inFlight: Set<string>;
  /** Claims whose `sending` mark failed half-way: this process knows it never called the Graph API for them. */
  neverCalled: Set<string>;
  logger: Logger;
  /** How long an abandoned send waits for a status naming it before it is reported as unknown. */
  unknownAfterMs: number;
}

/** How a claimed send ended, and the records it produced (published in the batch's transaction). */
export interface Settlement {
  state: FinalSendState;
  records: OutRecord[];
  /** Session changes written atomically with the settlement (a handover). */
  users?: ReadonlyMap<string, UserState>;
}

export interface ClaimedRun {
  /** `topic:partition:offset` of the `-out` record. */
  source: string;
  waID: string;
  /** Adds records to the batch's transaction. */
  emit: (records: readonly OutRecord[]) => void;
  send: (markSending: () => Promise<void>) => Promise<Settlement>;
  /** Settles an abandoned send at once instead of waiting for a status (notifications). */
  onAbandoned?: () => Promise<Settlement>;
}

/** The text an agent gets when a router died while its message may have been with the Graph API. */
export const deliveryUnknownText =
  'delivery unknown after a router restart: no status named the message in time, so it may or may not have ' +
  'reached the user, and it is not sent again to avoid a duplicate';

/**
 * Runs `send` under the message's claim, then settles the claim with what it produced before the batch's
 * transaction commits. A settled claim is a duplicate (skipped), unless this is a replay of the very record it
 * was settled for: that transaction never committed, so its records go out again. A claim left half-way by a
 * router that is gone after the Graph call is settled from the first status naming it, or waits for one (the
 * sweeper reports it as unknown after `unknownAfterMs`). SendInProgressError propagates (replay later).
 */
export async function runClaimed(
  deps: ClaimedRunDeps,
  agentId: string,
  key: string,
  run: ClaimedRun,
): Promise<void> {
  const id = claimId(agentId, key);
  if (deps.inFlight.has(id)) throw new SendInProgressError(key, 0);
  deps.inFlight.add(id);
  try {
    const claim = await claimOutbound(deps.claims, agentId, key, deps.neverCalled);
    if (claim.kind === 'skip') {
      run.emit(recordsToReplay(claim.claim, run.source) as OutRecord[]);
      return deps.logger.info(
        { agent: agentId, idempotency_key: key, state: claim.state },
        'outbound duplicate skipped',
      );
    }
    let settlement: Settlement;
    if (claim.kind === 'abandoned') {
      if (!run.onAbandoned) return await waitForStatus(deps, agentId, key, run, claim.current);
      settlement = await run.onAbandoned();
    } else settlement = await run.send(claim.markSending);
    await retryStateWrite(deps.logger, 'settling a send claim', () =>
      deps.claims.finish(
        agentId,
        key,
        settlement.state,
        { source: run.source, records: settlement.records },
        settlement.users,
      ),
    );
    run.emit(settlement.records);
  } catch (error) {
    if (!(error instanceof ClaimLostError)) throw error;
    deps.logger.warn({ agent: agentId, idempotency_key: key }, 'outbound claim taken over, not sent');
  } finally {
    deps.inFlight.delete(id);
  }
}

async function waitForStatus(
  deps: ClaimedRunDeps,
  agentId: string,
  key: string,
  run: ClaimedRun,
  current: string | null,
) {
  const wamid = await deps.claims.resolvedWamid(agentId, key);
  if (wamid) {
    await deps.claims.finish(agentId, key, 'sent');
    return deps.logger.info(
      { agent: agentId, idempotency_key: key, wamid },
      'abandoned send settled by a status',
    );
  }
  const send = { agentId, idempotencyKey: key, waID: run.waID, source: run.source };
  if (!(await deps.claims.markUnresolved(send, current, deps.unknownAfterMs)))
    throw new SendInProgressError(key, 0);
  deps.logger.warn({ agent: agentId, idempotency_key: key }, 'abandoned send waits for a status naming it');
}
