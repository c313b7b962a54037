import type { ClientFrame, ServerFrame } from '@wa-broker/shared/operator-protocol';
import type { Actor } from '../domain/ports.js';
import { changeAssignment, changeStatus, type TeamDeps, teamMembers } from '../domain/team.js';

type TeamFrameType =
  | 'list_operators'
  | 'claim'
  | 'release'
  | 'hand_over'
  | 'resolve'
  | 'reopen'
  | 'typing'
  | 'add_note'
  | 'list_notes'
  | 'list_canned_replies'
  | 'create_canned_reply'
  | 'update_canned_reply'
  | 'delete_canned_reply'
  | 'search';
export type TeamClientFrame = Extract<ClientFrame, { type: TeamFrameType }>;

export interface TeamRequestDeps {
  team: TeamDeps;
  now: () => Date;
  /** Features answered elsewhere (typing, notes, canned replies, search). */
  more: (frame: TeamClientFrame, actor: Actor) => Promise<ServerFrame>;
}

/** Answers the team frames (issue 20); `frame.wa_id` is already the conversation's current key. */
export async function answerTeamFrame(
  deps: TeamRequestDeps,
  frame: TeamClientFrame,
  actor: Actor,
): Promise<ServerFrame> {
  const base = { v: 1 as const, ...(frame.request_id ? { request_id: frame.request_id } : {}) };
  const now = deps.now();
  switch (frame.type) {
    case 'list_operators':
      return { ...base, type: 'operators', operators: await teamMembers(deps.team, now) };
    case 'claim':
    case 'release':
      return {
        ...base,
        ...(await changeAssignment(deps.team, actor, frame.wa_id, { kind: frame.type }, now)),
      };
    case 'hand_over':
      return {
        ...base,
        ...(await changeAssignment(deps.team, actor, frame.wa_id, { kind: 'hand_over', to: frame.to }, now)),
      };
    case 'resolve':
    case 'reopen': {
      const status = frame.type === 'resolve' ? 'resolved' : 'open';
      return { ...base, ...(await changeStatus(deps.team, frame.wa_id, status, actor.id, now)) };
    }
    default:
      return { ...base, ...(await deps.more(frame, actor)) };
  }
}
