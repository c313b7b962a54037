import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AgentDirectory } from '../adapters/agent-directory.js';
import type { ConversationLog } from '../domain/conversation-ports.js';
import { conversationStates } from '../domain/conversation-state.js';
import { conversationNotFound } from '../domain/errors.js';
import {
  conversationDetailDto,
  conversationDto,
  toConversationDto,
  toConversationEventDto,
} from './conversation-dto.js';
import { errorBody } from './notification-dto.js';

const listQuery = z.strictObject({
  state: z.enum(conversationStates).optional(),
  agent: z.string().min(1).optional().meta({ description: 'Agent id or name' }),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
});
const userParams = z.object({ user: z.string().min(1).max(100).meta({ description: 'wa_id or user_id' }) });
const errors = { 400: errorBody, 401: errorBody, 404: errorBody };
const tags = ['conversations'];
const base = '/api/v1/conversations';

/** The call-event log: conversations by state, agent and last activity; one conversation's ordered events. */
export function conversationRoutes(deps: {
  log: ConversationLog;
  agents: AgentDirectory;
}): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const { log, agents } = deps;

    routes.get(
      base,
      {
        schema: {
          tags,
          summary: 'List conversations, most recently active first',
          querystring: listQuery,
          response: {
            200: z.object({
              data: z.array(conversationDto),
              page: z.number(),
              page_size: z.number(),
              total: z.number(),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const { state, agent, page, page_size } = request.query;
        const result = await log.list({
          ...(state ? { state } : {}),
          ...(agent ? { agentIds: agents.resolve(agent) } : {}),
          page,
          pageSize: page_size,
        });
        return {
          data: result.items.map((c) => toConversationDto(agents, c)),
          page,
          page_size,
          total: result.total,
        };
      },
    );

    routes.get(
      `${base}/:user`,
      {
        schema: {
          tags,
          summary: 'One conversation and its events in the order the broker saw them',
          description:
            'Inbound and outbound messages (the router’s and the agents’), statuses, session started/ended, transfers.',
          params: userParams,
          response: { 200: conversationDetailDto, ...errors },
        },
      },
      async (request) => {
        const { user } = request.params;
        const conversation = await log.get(user);
        if (!conversation) throw conversationNotFound(user);
        const events = await log.events(user);
        return {
          ...toConversationDto(agents, conversation),
          event_log: events.map((e) => toConversationEventDto(agents, e)),
        };
      },
    );
  };
}
