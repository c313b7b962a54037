import type {
  CreateOperatorRequest,
  OperatorAccount,
  UpdateOperatorRequest,
} from '@wa-broker/shared/operator-accounts';
import { useCallback, useEffect, useState } from 'react';
import { type HttpResult, http } from '../../../lib/http.js';

type Failed = Extract<HttpResult<unknown>, { ok: false }>;

export const listOperators = (token: string | null) =>
  http<{ operators: OperatorAccount[] }>('/api/operators', { token });
export const createOperator = (token: string | null, body: CreateOperatorRequest) =>
  http<{ operator: OperatorAccount }>('/api/operators', { method: 'POST', body, token });
export const updateOperator = (token: string | null, id: string, body: UpdateOperatorRequest) =>
  http<{ operator: OperatorAccount }>(`/api/operators/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body,
    token,
  });
export const deleteOperator = (token: string | null, id: string) =>
  http<void>(`/api/operators/${encodeURIComponent(id)}`, { method: 'DELETE', token });

/** An account API refusal in words (by field where the server named one). */
export function describeAccountFailure(failure: Failed): { message: string; fields: Record<string, string> } {
  const fields = Object.fromEntries((failure.issues ?? []).map((issue) => [issue.path, issue.message]));
  if (failure.error === 'email_taken') return { message: 'An account with this email exists.', fields };
  if (failure.error === 'last_admin')
    return { message: 'This is the last enabled admin: make another admin first.', fields };
  if (failure.status === 400) return { message: 'Check the fields below.', fields };
  if (failure.status === 401) return { message: 'Your session has ended: sign in again.', fields };
  if (failure.status === 403) return { message: 'Only admins manage operators.', fields };
  if (failure.status === 404) return { message: 'This account no longer exists.', fields };
  if (failure.status === 0) return { message: 'The server cannot be reached.', fields };
  return { message: failure.message ?? `The server refused (HTTP ${failure.status}).`, fields };
}

export type AccountOutcome = { ok: true } | { ok: false; message: string; fields: Record<string, string> };

export interface OperatorAccounts {
  operators: OperatorAccount[] | null;
  problem: string | null;
  create(body: CreateOperatorRequest): Promise<AccountOutcome>;
  update(id: string, body: UpdateOperatorRequest): Promise<AccountOutcome>;
  remove(id: string): Promise<AccountOutcome>;
}

/** The agent's accounts over `/api/operators` (admin): listed on open, listed again after each change. */
export function useOperatorAccounts(token: string | null): OperatorAccounts {
  const [operators, setOperators] = useState<OperatorAccount[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const reload = useCallback(async () => {
    const result = await listOperators(token);
    if (result.ok) {
      setOperators(result.data.operators);
      setProblem(null);
    } else setProblem(describeAccountFailure(result).message);
  }, [token]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const after = useCallback(
    async (result: HttpResult<unknown>): Promise<AccountOutcome> => {
      if (!result.ok) return { ok: false, ...describeAccountFailure(result) };
      await reload();
      return { ok: true };
    },
    [reload],
  );

  return {
    operators,
    problem,
    create: async (body) => after(await createOperator(token, body)),
    update: async (id, body) => after(await updateOperator(token, id, body)),
    remove: async (id) => after(await deleteOperator(token, id)),
  };
}
