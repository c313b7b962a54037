import type { OperatorAccount, SignedIn } from '@wa-broker/shared/operator-accounts';
import { useCallback, useEffect, useState } from 'react';
import { http } from '../../../lib/http.js';
import { forgetToken, saveToken, takeToken } from '../../../lib/token.js';

/** Who opened the inbox: an operator signed in (session cookie), the development token, or nobody yet. */
export type Session =
  | { kind: 'checking' }
  | { kind: 'signed-out'; notice?: string }
  | { kind: 'operator'; operator: OperatorAccount }
  | { kind: 'token'; token: string };

export type SignInResult = { ok: true } | { ok: false; message: string };

export const fetchMe = () => http<SignedIn>('/api/auth/me');

export async function postSignIn(email: string, password: string) {
  return http<SignedIn>('/api/auth/sign-in', { method: 'POST', body: { email, password } });
}

export const postSignOut = () => http<void>('/api/auth/sign-out', { method: 'POST' });

/** How long to wait, in words (`Retry-After` seconds). */
export function waitWords(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.ceil(seconds))} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** Why a sign-in failed, in the operator's words. */
export function signInFailure(result: { status: number; retryAfter?: number; message?: string }): string {
  if (result.status === 401) return 'Wrong email or password.';
  if (result.status === 429)
    return result.retryAfter
      ? `Too many sign-in attempts. Try again in ${waitWords(result.retryAfter)}.`
      : 'Too many sign-in attempts. Try again later.';
  if (result.status === 400) return 'Enter your email and password.';
  if (result.status === 0) return 'The server cannot be reached. Check the connection and try again.';
  return result.message ?? `Sign-in failed (HTTP ${result.status}).`;
}

export interface SessionControls {
  session: Session;
  signIn(email: string, password: string): Promise<SignInResult>;
  openWithToken(token: string): void;
  signOut(): Promise<void>;
  /** The server ended the session (signed out elsewhere, expired, disabled): back to the sign-in page. */
  ended(notice: string): void;
  /** The socket keeps failing: ask the server whether the session is still valid. */
  recheck(): void;
}

/**
 * `?token=` (development, kept in this tab) wins; otherwise `GET /api/auth/me` decides between the inbox and the
 * sign-in page.
 */
export function useSession(): SessionControls {
  const [session, setSession] = useState<Session>(() => {
    const token = takeToken(window.location, window.history, window.sessionStorage);
    return token ? { kind: 'token', token } : { kind: 'checking' };
  });
  const checking = session.kind === 'checking';

  const recheck = useCallback(() => {
    void fetchMe().then((me) => {
      if (me.ok) setSession({ kind: 'operator', operator: me.data.operator });
      else if (me.status === 401)
        setSession({ kind: 'signed-out', notice: 'Your session has ended: sign in again.' });
      else if (me.status === 0 || me.status >= 500)
        setSession((current) =>
          current.kind === 'checking'
            ? { kind: 'signed-out', notice: 'The server cannot be reached. Try again in a moment.' }
            : current,
        );
    });
  }, []);

  useEffect(() => {
    if (!checking) return;
    void fetchMe().then((me) =>
      setSession(me.ok ? { kind: 'operator', operator: me.data.operator } : { kind: 'signed-out' }),
    );
  }, [checking]);

  const signIn = useCallback(async (email: string, password: string): Promise<SignInResult> => {
    const result = await postSignIn(email, password);
    if (!result.ok) return { ok: false, message: signInFailure(result) };
    setSession({ kind: 'operator', operator: result.data.operator });
    return { ok: true };
  }, []);

  const openWithToken = useCallback((token: string) => {
    saveToken(window.sessionStorage, token);
    setSession({ kind: 'token', token });
  }, []);

  const signOut = useCallback(async () => {
    if (session.kind === 'token') forgetToken(window.sessionStorage);
    else await postSignOut();
    setSession({ kind: 'signed-out' });
  }, [session.kind]);

  const ended = useCallback((notice: string) => {
    forgetToken(window.sessionStorage);
    setSession({ kind: 'signed-out', notice });
  }, []);

  return { session, signIn, openWithToken, signOut, ended, recheck };
}
