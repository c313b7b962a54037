import { useEffect, useState } from 'react';
import { Inbox } from '../features/conversations/components/inbox.js';
import { forgetToken, saveToken, takeToken } from '../lib/token.js';
import { appTitle } from './app-title.js';
import { SignIn } from './sign-in.js';

export function App() {
  const [token, setToken] = useState(() => takeToken(window.location, window.history, window.sessionStorage));
  useEffect(() => {
    document.title = appTitle('operator');
  }, []);
  if (!token)
    return (
      <SignIn
        onToken={(value) => {
          saveToken(window.sessionStorage, value);
          setToken(value);
        }}
      />
    );
  return (
    <Inbox
      token={token}
      onSignOut={() => {
        forgetToken(window.sessionStorage);
        setToken(null);
      }}
    />
  );
}
