import { type OperatorRole, operatorRoles } from '@wa-broker/shared/operator-accounts';
import { type FormEvent, useId, useState } from 'react';
import type { AccountOutcome } from '../api/operators.js';

export interface OperatorFormProps {
  onCreate: (body: {
    name: string;
    email: string;
    role: OperatorRole;
    password: string;
  }) => Promise<AccountOutcome>;
}

const blank = { name: '', email: '', role: 'operator' as OperatorRole, password: '' };

/** A new account: name, email, role and a first password (at least 10 characters, as the server requires). */
export function OperatorForm({ onCreate }: OperatorFormProps) {
  const [draft, setDraft] = useState(blank);
  const [problem, setProblem] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const id = useId();
  const set = (field: keyof typeof blank) => (event: { target: { value: string } }) =>
    setDraft((current) => ({ ...current, [field]: event.target.value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (draft.password.length < 10) {
      setFields({ password: 'at least 10 characters' });
      setProblem('Check the fields below.');
      return;
    }
    setBusy(true);
    const outcome = await onCreate({ ...draft, name: draft.name.trim(), email: draft.email.trim() });
    setBusy(false);
    if (outcome.ok) {
      setDraft(blank);
      setProblem(null);
      setFields({});
    } else {
      setProblem(outcome.message);
      setFields(outcome.fields);
    }
  };
  const fieldProblem = (field: string) =>
    fields[field] ? <span className="field-problem">{fields[field]}</span> : null;
  return (
    <form className="admin-form" aria-label="New operator" onSubmit={submit}>
      <h3>New operator</h3>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} required value={draft.name} onChange={set('name')} maxLength={100} />
        {fieldProblem('name')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input id={`${id}-email`} required type="email" value={draft.email} onChange={set('email')} />
        {fieldProblem('email')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`}>Role</label>
        <select id={`${id}-role`} value={draft.role} onChange={set('role')}>
          {operatorRoles.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          required
          type="password"
          autoComplete="new-password"
          value={draft.password}
          onChange={set('password')}
        />
        {fieldProblem('password')}
      </div>
      {problem && (
        <p className="field-problem" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        Create operator
      </button>
    </form>
  );
}
