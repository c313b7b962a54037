import { createOperatorRequest, updateOperatorRequest } from '@wa-broker/shared/operator-accounts';
import type { FastifyPluginAsync } from 'fastify';
import type { Identify } from '../auth/identify.js';
import { type AccountDeps, createOperator, toAccount, updateOperator } from '../domain/accounts.js';

export interface OperatorRouteDeps {
  accounts: AccountDeps;
  identify: Identify;
  now: () => Date;
  /** An account was disabled or deleted: its sockets close and its conversations go back to the queue. */
  onRemoved: (operatorId: string) => Promise<void>;
  /** An account changed (name, role, enabled): colleagues' lists update. */
  onChanged: (operatorId: string) => Promise<void>;
}

/** Admin-only account management: `GET/POST /api/operators`, `PATCH/DELETE /api/operators/:id`. */
export function operatorRoutes(deps: OperatorRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', async (req, reply) => {
      const actor = await deps.identify({ headers: req.headers });
      if (!actor) return reply.code(401).send({ error: 'unauthorized' });
      if (actor.role !== 'admin') return reply.code(403).send({ error: 'forbidden', message: 'admins only' });
    });

    app.get('/api/operators', async () => ({
      operators: (await deps.accounts.operators.list()).map(toAccount),
    }));

    app.post('/api/operators', async (req, reply) => {
      const body = createOperatorRequest.safeParse(req.body);
      if (!body.success)
        return reply.code(400).send({ error: 'invalid_request', issues: issuesOf(body.error) });
      const operator = await createOperator(deps.accounts, body.data, deps.now());
      req.log.info({ operator: operator.id, role: operator.role }, 'operator created');
      await deps.onChanged(operator.id);
      return reply.code(201).send({ operator: toAccount(operator) });
    });

    app.patch<{ Params: { id: string } }>('/api/operators/:id', async (req, reply) => {
      const body = updateOperatorRequest.safeParse(req.body);
      if (!body.success)
        return reply.code(400).send({ error: 'invalid_request', issues: issuesOf(body.error) });
      const { operator, disabledNow } = await updateOperator(deps.accounts, req.params.id, body.data);
      req.log.info({ operator: operator.id, disabled: operator.disabled }, 'operator updated');
      if (disabledNow) await deps.onRemoved(operator.id);
      await deps.onChanged(operator.id);
      return { operator: toAccount(operator) };
    });

    // Disabling keeps the account (its notes keep their author); deleting is disabling for good, same effects.
    app.delete<{ Params: { id: string } }>('/api/operators/:id', async (req, reply) => {
      await updateOperator(deps.accounts, req.params.id, { disabled: true });
      await deps.onRemoved(req.params.id);
      await deps.onChanged(req.params.id);
      req.log.info({ operator: req.params.id }, 'operator removed');
      return reply.code(204).send();
    });
  };
}

function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }) {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}
