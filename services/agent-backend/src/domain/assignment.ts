import { DomainError } from '@wa-broker/shared/errors';
import type { OperatorConversation } from '@wa-broker/shared/operator-protocol';
import type { Actor } from './ports.js';

export type AssignmentRequest =
  | { kind: 'claim' }
  | { kind: 'release' }
  | { kind: 'hand_over'; to: string; targetEnabled: boolean };

/** The change an operator asks for: from whom to whom (applied only if `from` still holds), or null: nothing to do. */
export interface AssignmentChange {
  from: string | null;
  to: string | null;
}

/**
 * Who may do what: anyone claims from the queue (the first one wins), the assignee or an admin releases or hands
 * over, and anyone may hand over a conversation still in the queue (assigning it to a colleague).
 */
export function planAssignment(
  request: AssignmentRequest,
  actor: Actor,
  conversation: Pick<OperatorConversation, 'wa_id' | 'assignee'>,
): AssignmentChange | null {
  const current = conversation.assignee;
  const mayChange = current === null || current === actor.id || actor.role === 'admin';
  switch (request.kind) {
    case 'claim':
      if (current === actor.id) return null;
      if (current !== null)
        throw new DomainError('already_assigned', 'A colleague has taken this conversation.');
      return { from: null, to: actor.id };
    case 'release':
      if (current === null) return null;
      if (!mayChange) throw new DomainError('forbidden', 'Only the assignee or an admin can release it.');
      return { from: current, to: null };
    case 'hand_over':
      if (!request.targetEnabled)
        throw new DomainError('invalid_operator', `No enabled operator ${request.to} to hand over to.`);
      if (!mayChange) throw new DomainError('forbidden', 'Only the assignee or an admin can hand it over.');
      if (current === request.to) return null;
      return { from: current, to: request.to };
  }
}

/**
 * Round robin with capacity: the first online operator after the last one given a conversation (in id order,
 * wrapping), among those with fewer open conversations than `capacity`; null when everyone is full or offline.
 */
export function pickRoundRobin(
  online: readonly { id: string; load: number }[],
  lastAssigned: string | null,
  capacity: number,
): string | null {
  const ordered = [...online].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const start = lastAssigned === null ? 0 : ordered.findIndex((each) => each.id > lastAssigned);
  const from = Math.max(start, 0);
  for (let step = 0; step < ordered.length; step += 1) {
    const candidate = ordered[(from + step) % ordered.length];
    if (candidate && candidate.load < capacity) return candidate.id;
  }
  return null;
}

/** Offline longer than the grace time (never seen counts as long ago): their conversations return to the queue. */
export function isPastGrace(lastSeenAt: Date | null, graceMs: number, now: Date): boolean {
  return lastSeenAt === null || now.getTime() - lastSeenAt.getTime() > graceMs;
}
