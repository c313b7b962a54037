import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Identify } from '../auth/identify.js';
import type { InboxStores } from '../domain/inbox.js';

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().optional(),
});

/** Read-only REST twin of the socket's history requests, for scripts and debugging. */
export function conversationRoutes(deps: { stores: InboxStores; identify: Identify }): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', async (req, reply) => {
      if (!(await deps.identify({ headers: req.headers })))
        return reply.code(401).send({ error: 'unauthorized' });
    });

    app.get('/api/conversations', async (req, reply) => {
      const query = pageQuery.safeParse(req.query);
      if (!query.success) return reply.code(400).send({ error: 'invalid_request' });
      const page = await deps.stores.conversations.list(query.data);
      return { conversations: page.conversations, next_before: page.nextBefore };
    });

    app.get<{ Params: { waId: string } }>('/api/conversations/:waId/messages', async (req, reply) => {
      const query = pageQuery.safeParse(req.query);
      if (!query.success) return reply.code(400).send({ error: 'invalid_request' });
      const key = await deps.stores.conversations.findKey(req.params.waId);
      const page = await deps.stores.messages.history(key, query.data);
      return { wa_id: key, messages: page.messages, next_before: page.nextBefore };
    });
  };
}
