import { signInRequest } from '@wa-broker/shared/operator-accounts';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { clearedSessionCookie, cookieValue, sessionCookie, sessionCookieName } from '../auth/cookies.js';
import type { Identify } from '../auth/identify.js';
import { type AccountDeps, authenticate, signIn, toAccount } from '../domain/accounts.js';

export interface AuthRouteDeps {
  accounts: AccountDeps;
  identify: Identify;
  secureCookie: boolean;
  /** Sign-in attempts allowed per email and per client address in `windowMs` (either exhausted: 429). */
  rateLimit: { perEmail: number; perIp: number; windowMs: number };
  now: () => Date;
  /** The session ended: its sockets close on every instance. */
  onSignedOut: (sessionId: string) => Promise<void>;
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/** `POST /api/auth/sign-in`, `POST /api/auth/sign-out`, `GET /api/auth/me`. */
export function authRoutes(deps: AuthRouteDeps): FastifyPluginAsync {
  return async (app) => {
    const emailOf = (req: FastifyRequest) => {
      const parsed = signInRequest.shape.email.safeParse(
        (req.body as { email?: unknown } | undefined)?.email,
      );
      return parsed.success ? parsed.data.toLowerCase() : '';
    };
    // Both count every attempt: guessing one account's password and spraying many accounts from one address.
    const limiters: Limiter[] = [
      app.createRateLimit({
        max: deps.rateLimit.perIp,
        timeWindow: deps.rateLimit.windowMs,
        keyGenerator: (req) => `ip:${req.ip}`,
      }),
      app.createRateLimit({
        max: deps.rateLimit.perEmail,
        timeWindow: deps.rateLimit.windowMs,
        keyGenerator: (req) => `email:${emailOf(req)}`,
      }),
    ];

    app.post('/api/auth/sign-in', async (req, reply) => {
      for (const limiter of limiters) {
        const limit = await limiter(req);
        if (!limit.isAllowed && limit.isExceeded) {
          req.log.warn({ reqId: req.id }, 'sign-in rate limited');
          return reply
            .code(429)
            .header('retry-after', String(limit.ttlInSeconds))
            .send({ error: 'rate_limited', message: 'Too many sign-in attempts; try again later.' });
        }
      }
      const body = signInRequest.safeParse(req.body);
      if (!body.success)
        return reply.code(400).send({ error: 'invalid_request', message: 'email and password' });
      const now = deps.now();
      const session = await signIn(deps.accounts, body.data.email, body.data.password, now);
      req.log.info({ operator: session.operator.id }, 'operator signed in');
      const maxAgeSeconds = (session.expiresAt.getTime() - now.getTime()) / 1000;
      return reply
        .header('set-cookie', sessionCookie(session.token, { maxAgeSeconds, secure: deps.secureCookie }))
        .send({ operator: toAccount(session.operator), expires_at: session.expiresAt.toISOString() });
    });

    app.post('/api/auth/sign-out', async (req, reply) => {
      const session = await authenticate(
        deps.accounts,
        cookieValue(req.headers.cookie, sessionCookieName),
        deps.now(),
      );
      if (session?.actor.sessionId) {
        await deps.accounts.sessions.revoke(session.actor.sessionId);
        await deps.onSignedOut(session.actor.sessionId);
        req.log.info({ operator: session.actor.id }, 'operator signed out');
      }
      return reply.header('set-cookie', clearedSessionCookie(deps.secureCookie)).code(204).send();
    });

    app.get('/api/auth/me', async (req, reply) => {
      const session = await authenticate(
        deps.accounts,
        cookieValue(req.headers.cookie, sessionCookieName),
        deps.now(),
      );
      if (!session) return reply.code(401).send({ error: 'unauthorized' });
      const operator = await deps.accounts.operators.get(session.actor.id);
      if (!operator) return reply.code(401).send({ error: 'unauthorized' });
      return { operator: toAccount(operator), expires_at: session.expiresAt.toISOString() };
    });
  };
}
