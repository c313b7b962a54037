import { type FormEvent, useState } from 'react';
import type { SignInResult } from '../api/session.js';

export interface SignInFormProps {
  onSignIn: (email: string, password: string) => Promise<SignInResult>;
  /** Development only: open the inbox with a shared token (the backend refuses it unless enabled). */
  onToken: (token: string) => void;
  /** Why the operator is here again (session ended, account disabled…). */
  notice?: string | undefined;
}

export function SignInForm({ onSignIn, onToken, notice }: SignInFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!email.trim() || !password) {
      setProblem('Enter your email and password.');
      return;
    }
    setBusy(true);
    const result = await onSignIn(email.trim(), password);
    setBusy(false);
    if (!result.ok) setProblem(result.message);
  };
  return (
    <div className="sign-in">
      <form onSubmit={submit} aria-label="Sign in" className="sign-in-form">
        <h1>Operator sign-in</h1>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <label htmlFor="sign-in-email">Email</label>
        <input
          id="sign-in-email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <label htmlFor="sign-in-password">Password</label>
        <input
          id="sign-in-password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        {problem && (
          <p className="field-problem" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <details className="dev-token">
        <summary>Development token</summary>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (token.trim()) onToken(token.trim());
          }}
        >
          <label htmlFor="token">Operator token</label>
          <input
            id="token"
            type="password"
            value={token}
            onChange={(event) => setToken(event.target.value)}
          />
          <button type="submit">Open inbox</button>
        </form>
      </details>
    </div>
  );
}
