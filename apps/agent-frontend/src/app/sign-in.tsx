import { type FormEvent, useState } from 'react';

export function SignIn({ onToken }: { onToken: (token: string) => void }) {
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) onToken(token.trim());
  };
  return (
    <form className="sign-in" onSubmit={submit}>
      <h1>Operator sign-in</h1>
      <label htmlFor="token">Operator token</label>
      <input id="token" type="password" value={token} onChange={(event) => setToken(event.target.value)} />
      <button type="submit" className="primary">
        Open inbox
      </button>
    </form>
  );
}
