import type { OperatorConversation, SignedInOperator, TeamMember } from '@wa-broker/shared/operator-protocol';
import { useState } from 'react';
import type { Failure } from '../api/describe-failure.js';
import type { ConversationAction } from '../hooks/use-inbox.js';
import { assigneeLabel } from './conversation-list.js';

export interface AssignmentBarProps {
  conversation: OperatorConversation;
  me: SignedInOperator | null;
  operators: TeamMember[];
  nameOf: (operatorId: string | null) => string | null;
  onAct: (action: ConversationAction) => Promise<Failure | null>;
}

/**
 * Who answers this conversation and its status, with what the operator may do: claim it from the queue, release
 * it, hand it over to an enabled colleague (online ones first), resolve or reopen it.
 */
export function AssignmentBar({ conversation, me, operators, nameOf, onAct }: AssignmentBarProps) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [handOverTo, setHandOverTo] = useState('');
  const { assignee, status } = conversation;
  const isMine = me !== null && assignee === me.id;
  const mayRelease = assignee !== null && (isMine || me?.role === 'admin');
  const mayHandOver = assignee === null || isMine || me?.role === 'admin';
  const colleagues = operators
    .filter((member) => !member.disabled && member.id !== assignee)
    .sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name));
  const run = async (action: ConversationAction) => {
    setBusy(true);
    const failure = await onAct(action);
    setBusy(false);
    setProblem(failure?.message ?? null);
    if (!failure && action.type === 'hand_over') setHandOverTo('');
  };
  return (
    <div className="assignment" data-testid="assignment">
      <span className={`chip status-${status}`} data-testid="status-badge">
        {status === 'resolved' ? 'Resolved' : 'Open'}
      </span>
      <span className="assignee" data-testid="assignee">
        {assignee === null
          ? 'Unassigned'
          : isMine
            ? 'Assigned to you'
            : `Assigned to ${assigneeLabel(assignee, me?.id, nameOf)}`}
      </span>
      {assignee === null && (
        <button
          type="button"
          className="primary small"
          disabled={busy}
          onClick={() => void run({ type: 'claim' })}
        >
          Claim
        </button>
      )}
      {mayRelease && (
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => void run({ type: 'release' })}
        >
          Release
        </button>
      )}
      {mayHandOver && colleagues.length > 0 && (
        <span className="hand-over">
          <select
            aria-label="Hand over to"
            value={handOverTo}
            onChange={(event) => setHandOverTo(event.target.value)}
          >
            <option value="">Hand over to…</option>
            {colleagues.map((member) => (
              <option key={member.id} value={member.id}>
                {member.name}
                {member.id === me?.id ? ' (you)' : ''}
                {member.online ? ' · online' : ' · offline'}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="secondary"
            disabled={busy || !handOverTo}
            onClick={() => void run({ type: 'hand_over', to: handOverTo })}
          >
            Hand over
          </button>
        </span>
      )}
      {status === 'open' ? (
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => void run({ type: 'resolve' })}
        >
          Resolve
        </button>
      ) : (
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => void run({ type: 'reopen' })}
        >
          Reopen
        </button>
      )}
      {problem && (
        <p className="assignment-problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
