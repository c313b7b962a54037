import { DomainError } from '@wa-broker/shared/errors';
import type { ConversationStatus, ServerFrameOf, TeamMember } from '@wa-broker/shared/operator-protocol';
import { type AssignmentRequest, isPastGrace, pickRoundRobin, planAssignment } from './assignment.js';
import type {
  Actor,
  AssignmentStore,
  ConversationStore,
  OperatorRecord,
  OperatorStore,
  PresenceStore,
} from './ports.js';
import type { TeamEvent } from './team-events.js';

export interface TeamDeps {
  conversations: ConversationStore;
  assignments: AssignmentStore;
  operators: OperatorStore;
  presence: PresenceStore;
  /** Applies the event on this instance at once and tells the others. */
  publish: (event: TeamEvent) => Promise<void>;
}

type AssignmentFrame = ServerFrameOf<'assignment'>;
type Reason = AssignmentFrame['reason'];

async function conversationOf(deps: TeamDeps, waId: string) {
  const conversation = await deps.conversations.get(waId);
  if (!conversation) throw new DomainError('not_found', `No conversation with ${waId}.`);
  return conversation;
}

/** Applies a conditional change and tells every operator; false when the assignee was not `from` any more. */
async function reassign(
  deps: TeamDeps,
  waId: string,
  change: { from: string | null; to: string | null },
  by: string | null,
  reason: Reason,
  now: Date,
): Promise<AssignmentFrame | null> {
  if (!(await deps.assignments.reassign(waId, change.from, change.to, now))) return null;
  const frame: AssignmentFrame = {
    v: 1,
    type: 'assignment',
    wa_id: waId,
    assignee: change.to,
    previous_assignee: change.from,
    assigned_at: change.to === null ? null : now.toISOString(),
    by,
    reason,
  };
  await deps.publish({ kind: 'frame', frame });
  return frame;
}

/** claim / release / hand_over by an operator; the answer is the assignment as it is now. */
export async function changeAssignment(
  deps: TeamDeps,
  actor: Actor,
  waId: string,
  request: { kind: 'claim' } | { kind: 'release' } | { kind: 'hand_over'; to: string },
  now: Date,
): Promise<AssignmentFrame> {
  const conversation = await conversationOf(deps, waId);
  let planned: AssignmentRequest =
    request.kind === 'hand_over' ? { ...request, targetEnabled: false } : request;
  if (request.kind === 'hand_over') {
    const target = await deps.operators.get(request.to);
    planned = { ...request, targetEnabled: Boolean(target && !target.disabled) };
  }
  const change = planAssignment(planned, actor, conversation);
  const reason: Reason = request.kind;
  if (change) {
    const frame = await reassign(deps, waId, change, actor.id, reason, now);
    if (frame) return frame;
    // Someone changed it between our read and our conditional update: for a claim, they were first.
    if (request.kind === 'claim')
      throw new DomainError('already_assigned', 'A colleague has taken this conversation.');
    throw new DomainError('conflict', 'The assignment changed meanwhile; look again.');
  }
  return {
    v: 1,
    type: 'assignment',
    wa_id: waId,
    assignee: conversation.assignee,
    previous_assignee: conversation.assignee,
    assigned_at: conversation.assigned_at,
    by: actor.id,
    reason,
  };
}

/** resolve / reopen by an operator, or reopen because the user wrote (`by` null). The assignee stays. */
export async function changeStatus(
  deps: TeamDeps,
  waId: string,
  status: ConversationStatus,
  by: string | null,
  now: Date,
): Promise<ServerFrameOf<'conversation_status'>> {
  const changed = await deps.assignments.setStatus(waId, status, now);
  const conversation = await conversationOf(deps, waId);
  const frame: ServerFrameOf<'conversation_status'> = {
    v: 1,
    type: 'conversation_status',
    wa_id: waId,
    status: conversation.status,
    at: now.toISOString(),
    by,
    assignee: conversation.assignee,
  };
  if (changed) await deps.publish({ kind: 'frame', frame });
  return frame;
}

/** The user wrote: a resolved conversation reopens (same assignee), told to everyone; nothing else changes. */
export async function reopenOnInbound(deps: TeamDeps, waId: string, now: Date): Promise<boolean> {
  if (!(await deps.assignments.setStatus(waId, 'open', now))) return false;
  const conversation = await deps.conversations.get(waId);
  if (conversation)
    await deps.publish({
      kind: 'frame',
      frame: {
        v: 1,
        type: 'conversation_status',
        wa_id: waId,
        status: 'open',
        at: now.toISOString(),
        by: null,
        assignee: conversation.assignee,
      },
    });
  return true;
}

export interface AutoAssignSettings {
  capacity: number;
}

/** Gives a waiting conversation to the next online operator with room (round robin); the operator id or null. */
export async function autoAssign(
  deps: TeamDeps,
  waId: string,
  settings: AutoAssignSettings,
  now: Date,
): Promise<string | null> {
  const online = [...(await deps.presence.online(now))];
  const enabled = (await Promise.all(online.map((id) => deps.operators.get(id)))).filter(
    (operator): operator is OperatorRecord => Boolean(operator && !operator.disabled),
  );
  if (enabled.length === 0) return null;
  const load = await deps.assignments.openLoad(enabled.map((operator) => operator.id));
  const candidates = enabled.map((operator) => ({ id: operator.id, load: load.get(operator.id) ?? 0 }));
  const chosen = pickRoundRobin(candidates, await deps.assignments.lastAutoAssigned(), settings.capacity);
  if (!chosen) return null;
  const frame = await reassign(deps, waId, { from: null, to: chosen }, null, 'auto', now);
  if (!frame) return null; // claimed meanwhile
  await deps.assignments.rememberAutoAssigned(chosen);
  return chosen;
}

/** Every conversation of the operator back to the queue (offline past the grace time, or disabled). */
export async function releaseAll(
  deps: TeamDeps,
  operatorId: string,
  reason: Reason,
  now: Date,
): Promise<number> {
  let released = 0;
  for (const waId of await deps.assignments.assignedTo(operatorId))
    if (await reassign(deps, waId, { from: operatorId, to: null }, null, reason, now)) released += 1;
  return released;
}

/** The operators with conversations who have been offline longer than the grace time lose them to the queue. */
export async function releaseOffline(deps: TeamDeps, graceMs: number, now: Date): Promise<number> {
  const online = await deps.presence.online(now);
  let released = 0;
  for (const operatorId of await deps.assignments.assignees()) {
    if (online.has(operatorId)) continue;
    const operator = await deps.operators.get(operatorId);
    if (operator && !isPastGrace(operator.lastSeenAt, graceMs, now)) continue;
    released += await releaseAll(deps, operatorId, 'offline', now);
  }
  return released;
}

export function teamMemberOf(operator: OperatorRecord, online: boolean): TeamMember {
  return {
    id: operator.id,
    name: operator.name,
    role: operator.role,
    disabled: operator.disabled,
    online: online && !operator.disabled,
    last_seen_at: operator.lastSeenAt ? operator.lastSeenAt.toISOString() : null,
  };
}

export async function teamMembers(deps: TeamDeps, now: Date): Promise<TeamMember[]> {
  const online = await deps.presence.online(now);
  return (await deps.operators.list()).map((operator) => teamMemberOf(operator, online.has(operator.id)));
}
