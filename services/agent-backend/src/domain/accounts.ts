import { DomainError } from '@wa-broker/shared/errors';
import type {
  CreateOperatorRequest,
  OperatorAccount,
  UpdateOperatorRequest,
} from '@wa-broker/shared/operator-accounts';
import type { Actor, OperatorRecord, OperatorStore, PasswordHasher, SessionStore } from './ports.js';

/** Session secrets: the cookie's token and the id stored for it (a hash of it). */
export interface SessionTokens {
  issue(): { token: string; id: string };
  idOf(token: string): string;
  newOperatorId(): string;
}

export interface AccountDeps {
  operators: OperatorStore;
  sessions: SessionStore;
  hasher: PasswordHasher;
  tokens: SessionTokens;
  sessionTtlMs: number;
}

const invalidCredentials = () =>
  // One answer for an unknown email, a wrong password and a disabled account: sign-in reveals no accounts.
  new DomainError('invalid_credentials', 'The email or password is wrong, or the account is disabled.');

export function toAccount(record: OperatorRecord): OperatorAccount {
  const { id, name, email, role, disabled } = record;
  return { id, name, email, role, disabled, created_at: record.createdAt.toISOString() };
}

export function toActor(record: OperatorRecord, sessionId?: string): Actor {
  const { id, name, email, role } = record;
  return { id, name, email, role, ...(sessionId ? { sessionId } : {}) };
}

export async function signIn(deps: AccountDeps, email: string, password: string, now: Date) {
  const operator = await deps.operators.findByEmail(email);
  if (!operator) {
    await deps.hasher.burn(password);
    throw invalidCredentials();
  }
  if (!(await deps.hasher.verify(password, operator.password)) || operator.disabled)
    throw invalidCredentials();
  const { token, id } = deps.tokens.issue();
  const expiresAt = new Date(now.getTime() + deps.sessionTtlMs);
  await deps.sessions.create({ id, operatorId: operator.id, createdAt: now, expiresAt });
  return { token, expiresAt, operator, actor: toActor(operator, id) };
}

/** The operator a session cookie belongs to; null when it expired, was revoked, or the account is disabled. */
export async function authenticate(deps: AccountDeps, token: string | undefined, now: Date) {
  if (!token) return null;
  const session = await deps.sessions.get(deps.tokens.idOf(token), now);
  if (!session) return null;
  const operator = await deps.operators.get(session.operatorId);
  if (!operator || operator.disabled) return null;
  return { actor: toActor(operator, session.id), expiresAt: session.expiresAt };
}

export async function createOperator(deps: AccountDeps, body: CreateOperatorRequest, now: Date) {
  const record: OperatorRecord = {
    id: deps.tokens.newOperatorId(),
    name: body.name,
    email: body.email,
    role: body.role ?? 'operator',
    disabled: false,
    password: await deps.hasher.hash(body.password),
    createdAt: now,
    lastSeenAt: null,
  };
  await deps.operators.create(record);
  return record;
}

/**
 * Changes an account. Disabling (or deleting) one ends its sessions here; the caller closes its sockets and
 * returns its conversations to the queue. The last enabled admin stays one, or nobody could manage accounts.
 */
export async function updateOperator(deps: AccountDeps, id: string, patch: UpdateOperatorRequest) {
  const current = await deps.operators.get(id);
  if (!current) throw new DomainError('operator_not_found', `No operator ${id}.`);
  const losesAdmin =
    current.role === 'admin' && !current.disabled && (patch.disabled || patch.role === 'operator');
  if (losesAdmin && (await deps.operators.countEnabledAdmins()) <= 1)
    throw new DomainError('last_admin', 'The last enabled admin cannot be disabled or demoted.');
  const { password, ...rest } = patch;
  const updated = await deps.operators.update(id, {
    ...rest,
    ...(password ? { password: await deps.hasher.hash(password) } : {}),
  });
  if (!updated) throw new DomainError('operator_not_found', `No operator ${id}.`);
  // A disabled account or a new password: every existing session ends.
  if (patch.disabled || password) await deps.sessions.revokeAllOf(id);
  return { operator: updated, disabledNow: !current.disabled && updated.disabled };
}

/**
 * The first admin, from configuration, when the database has no enabled admin: created, or (an account with that
 * email exists) made an enabled admin with the configured password. Nothing changes once an admin exists.
 */
export async function ensureFirstAdmin(
  deps: AccountDeps,
  admin: { email: string; password: string; name: string },
  now: Date,
): Promise<'created' | 'promoted' | 'exists'> {
  if ((await deps.operators.countEnabledAdmins()) > 0) return 'exists';
  const existing = await deps.operators.findByEmail(admin.email);
  if (existing) {
    await deps.operators.update(existing.id, {
      role: 'admin',
      disabled: false,
      password: await deps.hasher.hash(admin.password),
    });
    return 'promoted';
  }
  try {
    await createOperator(deps, { ...admin, role: 'admin' }, now);
  } catch (error) {
    // Two instances starting at once: the other one created it.
    if (error instanceof DomainError && error.code === 'email_taken') return 'exists';
    throw error;
  }
  return 'created';
}
