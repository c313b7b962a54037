import {
  agentKafkaCredential,
  agentRecord,
  agentRecordWithCredential,
  createAgentInput,
  updateAgentInput,
} from '@wa-broker/shared/agents';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toAgentRecord } from '../domain/agent-record.js';
import type { AgentService, AgentWithCredential } from '../domain/agent-service.js';
import { idParams, v2ErrorBody } from './common-schemas.js';

const listQuery = z.strictObject({
  name: z.string().min(1).optional().meta({ description: 'Case-insensitive substring of the name' }),
  active: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .meta({ description: 'Only active (true) or only deleted (false) agents; both when absent' }),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
});

const agentPage = z.object({
  data: z.array(agentRecord),
  page: z.number().int(),
  page_size: z.number().int(),
  total: z.number().int(),
});

const createBody = createAgentInput.meta({
  examples: [{ name: 'Sales Team', description: 'Quotes and orders' }],
});
const patchBody = updateAgentInput
  .refine((body) => Object.keys(body).length > 0, 'must change at least one field')
  .meta({ examples: [{ description: 'Quotes, orders and returns' }] });

const withCredential = ({ agent, credential }: AgentWithCredential) => ({
  ...toAgentRecord(agent),
  ...(credential ? { kafka: credential } : {}),
});

const errors = { 400: v2ErrorBody, 401: v2ErrorBody, 404: v2ErrorBody, 409: v2ErrorBody, 503: v2ErrorBody };
const tags = ['v2'];

/** The clean REST API: snake_case records, pagination, field-level 400s, 404, 409. */
export function v2AgentRoutes(deps: { agents: AgentService }): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const { agents } = deps;

    routes.get(
      '/api/v2/agents',
      {
        schema: {
          tags,
          summary: 'List agents',
          querystring: listQuery,
          response: { 200: agentPage, ...errors },
        },
      },
      async (request) => {
        const { name, active, page, page_size } = request.query;
        const result = await agents.list({
          ...(name ? { name: { contains: name, caseSensitive: false } } : {}),
          ...(active === undefined ? {} : { active }),
          offset: (page - 1) * page_size,
          limit: page_size,
        });
        return { data: result.agents.map(toAgentRecord), page, page_size, total: result.total };
      },
    );

    routes.post(
      '/api/v2/agents',
      {
        schema: {
          tags,
          summary:
            'Create an agent; missing topics default to <slug>-in/-out/-error and are created in Kafka. ' +
            '`kafka` holds its Kafka credential: shown once, give it to the team running the agent',
          body: createBody,
          response: { 201: agentRecordWithCredential, ...errors },
        },
      },
      async (request, reply) => {
        const { name, description, read_topic, write_topic, error_topic } = request.body;
        const created = await agents.create({
          name,
          description,
          readTopic: read_topic,
          writeTopic: write_topic,
          errorTopic: error_topic,
        });
        return reply
          .code(201)
          .header('location', `/api/v2/agents/${created.agent.id}`)
          .send(withCredential(created));
      },
    );

    routes.get(
      '/api/v2/agents/:id',
      {
        schema: {
          tags,
          summary: 'Get an agent (also a deleted one)',
          params: idParams,
          response: { 200: agentRecord, ...errors },
        },
      },
      async (request) => toAgentRecord(await agents.get(request.params.id, false)),
    );

    routes.patch(
      '/api/v2/agents/:id',
      {
        schema: {
          tags,
          summary:
            'Change an agent; active=false deletes it (its Kafka credential stops working), active=true restores ' +
            'it with a new credential in `kafka`',
          params: idParams,
          body: patchBody,
          response: { 200: agentRecordWithCredential, ...errors },
        },
      },
      async (request) => {
        const { name, description, read_topic, write_topic, error_topic, active } = request.body;
        const changes = {
          name,
          description,
          readTopic: read_topic,
          writeTopic: write_topic,
          errorTopic: error_topic,
          active,
        };
        return withCredential(await agents.update(request.params.id, changes, false));
      },
    );

    routes.post(
      '/api/v2/agents/:id/kafka-credentials',
      {
        schema: {
          tags,
          summary:
            "Rotate an active agent's Kafka credential: the new secret is shown once, the old one stops working",
          params: idParams,
          response: { 201: agentKafkaCredential, ...errors },
        },
      },
      async (request, reply) => reply.code(201).send(await agents.rotateCredential(request.params.id)),
    );

    routes.delete(
      '/api/v2/agents/:id',
      {
        schema: {
          tags,
          summary: 'Soft-delete an agent (idempotent); its topics are kept, its Kafka credential is deleted',
          params: idParams,
          response: { 204: z.null().meta({ description: 'Deleted' }), ...errors },
        },
      },
      async (request, reply) => {
        await agents.remove(request.params.id, { idempotent: true });
        return reply.code(204).send(null);
      },
    );
  };
}
