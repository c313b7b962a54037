import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { InboxStores } from '../domain/inbox.js';
import { isOperatorToken } from '../ws/auth.js';

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().optional(),
});

/** Read-only REST twin of the socket's history requests, for scripts and debugging. */
export function conversationRoutes(deps: {
  stores: InboxStores;
  tokens: readonly string[];
}): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', async (req, reply) => {
      const header = req.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
      if (!isOperatorToken(token, deps.tokens)) return reply.code(401).send({ error: 'unauthorized' });
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
