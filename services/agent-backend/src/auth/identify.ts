import type { IncomingHttpHeaders } from 'node:http';
import { type AccountDeps, authenticate, toActor } from '../domain/accounts.js';
import type { Actor } from '../domain/ports.js';
import { isOperatorToken } from '../ws/auth.js';
import { cookieValue, sessionCookieName } from './cookies.js';

export interface IdentifyDeps {
  accounts: AccountDeps;
  /** `OPERATOR_DEV_TOKEN_AUTH`: the shared tokens still sign in (as the first admin), for development only. */
  devTokens: readonly string[] | null;
  now: () => Date;
}

/** What a request carries: the session cookie, and (development) a Bearer header or `?token=`. */
export interface Credentials {
  headers: IncomingHttpHeaders;
  url?: string | undefined;
}

export type Identify = (credentials: Credentials) => Promise<Actor | null>;

/** The operator behind a request: its session cookie, else (only when enabled) a development token. */
export function identifier(deps: IdentifyDeps): Identify {
  return async ({ headers, url }) => {
    const session = await authenticate(
      deps.accounts,
      cookieValue(headers.cookie, sessionCookieName),
      deps.now(),
    );
    if (session) return session.actor;
    if (!deps.devTokens) return null;
    if (!isOperatorToken(devTokenOf(headers, url), deps.devTokens)) return null;
    const admin = await deps.accounts.operators.firstAdmin();
    return admin ? toActor(admin) : { id: 'dev-token', name: 'Developer', email: '', role: 'admin' };
  };
}

function devTokenOf(headers: IncomingHttpHeaders, url: string | undefined): string | undefined {
  const header = headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return new URL(url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
}
