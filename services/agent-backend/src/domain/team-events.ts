import type { ServerFrame } from '@wa-broker/shared/operator-protocol';

export type SignedOutReason = Extract<ServerFrame, { type: 'signed_out' }>['reason'];

/**
 * What one instance tells the others about the team (the operator-events topic): a frame for every operator
 * (assignment, status, note, canned reply, typing), a presence change to recompute, or sockets to close.
 */
export type TeamEvent =
  | { kind: 'frame'; frame: ServerFrame; except_operator?: string }
  | { kind: 'presence'; operator_id: string }
  | { kind: 'sign_out'; reason: SignedOutReason; session_id?: string; operator_id?: string };
