import { useEffect } from 'react';
import { useSession } from '../features/auth/api/session.js';
import { SignInForm } from '../features/auth/components/sign-in-form.js';
import { appTitle } from './app-title.js';
import { Shell } from './shell.js';

/** Signed in (session cookie) or opened with a development token: the shell; otherwise the sign-in page. */
export function App() {
  const auth = useSession();
  useEffect(() => {
    document.title = appTitle('operator');
  }, []);
  const { session } = auth;
  if (session.kind === 'checking') return <p className="empty">Loading…</p>;
  if (session.kind === 'signed-out')
    return <SignInForm onSignIn={auth.signIn} onToken={auth.openWithToken} notice={session.notice} />;
  return (
    <Shell
      token={session.kind === 'token' ? session.token : null}
      onSignOut={() => void auth.signOut()}
      onEnded={auth.ended}
      onConnectionTrouble={session.kind === 'operator' ? auth.recheck : undefined}
    />
  );
}
