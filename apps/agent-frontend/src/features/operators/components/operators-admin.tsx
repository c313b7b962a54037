import type { OperatorAccount } from '@wa-broker/shared/operator-accounts';
import { useState } from 'react';
import { type AccountOutcome, useOperatorAccounts } from '../api/operators.js';
import { OperatorForm } from './operator-form.js';

/** Admins only: the agent's operator accounts — list, create, disable/enable, delete. */
export function OperatorsAdmin({ token, me }: { token: string | null; me: string | null }) {
  const accounts = useOperatorAccounts(token);
  const [problem, setProblem] = useState<string | null>(null);
  const report = (outcome: AccountOutcome) => setProblem(outcome.ok ? null : outcome.message);
  const remove = async (operator: OperatorAccount) => {
    if (!window.confirm(`Delete ${operator.name}? They are signed out and cannot sign in again.`)) return;
    report(await accounts.remove(operator.id));
  };
  return (
    <section className="admin" aria-label="Operators">
      <h2>Operators</h2>
      {(problem ?? accounts.problem) && (
        <p className="field-problem" role="alert">
          {problem ?? accounts.problem}
        </p>
      )}
      {accounts.operators === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Status</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {accounts.operators.map((operator) => (
              <tr key={operator.id} data-testid="operator-row" data-email={operator.email}>
                <td>
                  {operator.name}
                  {operator.id === me ? ' (you)' : ''}
                </td>
                <td>{operator.email}</td>
                <td>{operator.role}</td>
                <td>{operator.disabled ? 'Disabled' : 'Enabled'}</td>
                <td className="admin-actions">
                  <button
                    type="button"
                    className="secondary"
                    onClick={async () =>
                      report(await accounts.update(operator.id, { disabled: !operator.disabled }))
                    }
                  >
                    {operator.disabled ? 'Enable' : 'Disable'}
                  </button>
                  <button type="button" className="danger" onClick={() => void remove(operator)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <OperatorForm onCreate={accounts.create} />
    </section>
  );
}
