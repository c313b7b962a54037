import { topicName } from '@wa-broker/shared/agents';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Agent } from '../domain/agent.js';
import type { AgentService } from '../domain/agent-service.js';
import { agentNotFound } from '../domain/errors.js';
import { idParams, v1ErrorBody } from './common-schemas.js';

const required = (schema: z.ZodString | typeof topicName) =>
  z.string().min(1, 'must not be empty').pipe(schema);

// Bodies are the original's: all four strings required and non-empty (its "invalid values"), unknown keys ignored.
const createBody = z
  .object({
    name: required(z.string().trim().min(1).max(200)),
    read_topic: required(topicName),
    write_topic: required(topicName),
    error_topic: required(topicName),
  })
  .meta({
    examples: [
      { name: 'Agent B', read_topic: 'agent_C-in', write_topic: 'agent_C-out', error_topic: 'agent_C-error' },
    ],
  });

const updateBody = z.object({ id: z.number().int().nonnegative(), ...createBody.shape }).meta({
  examples: [
    {
      id: 79,
      name: 'renato-atualizado',
      read_topic: 'renato-in',
      write_topic: 'renato-out',
      error_topic: 'renato-error',
    },
  ],
});

/** The original's Go struct without json tags, fields in declaration order. `Active` is 1 (it was never read). */
const pascalAgent = z.object({
  ID: z.number(),
  Name: z.string(),
  ReadTopic: z.string(),
  WriteTopic: z.string(),
  ErrorTopic: z.string(),
  Active: z.number(),
});

const toPascal = (agent: Agent): z.infer<typeof pascalAgent> => ({
  ID: agent.id,
  Name: agent.name,
  ReadTopic: agent.readTopic,
  WriteTopic: agent.writeTopic,
  ErrorTopic: agent.errorTopic,
  Active: agent.active ? 1 : 0,
});

const success = z.object({ status: z.literal('success') });
const errors = { 400: v1ErrorBody, 401: v1ErrorBody, 404: v1ErrorBody, 409: v1ErrorBody, 503: v1ErrorBody };
const v1 = { errorShape: 'v1' } as const;
const tags = ['v1 (original-compatible)'];
// The original has no pagination; this bounds a runaway table, far above any menu's 10 rows.
const listLimit = 10_000;

/** The original Postman collection's endpoints: same paths, bodies and success shapes; 400/404 instead of 500. */
export function v1AgentRoutes(deps: { agents: AgentService }): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const { agents } = deps;

    routes.post(
      '/api/v1/agent/create',
      {
        config: v1,
        schema: {
          tags,
          summary: 'Create an agent (topics are created in Kafka)',
          body: createBody,
          response: { 200: z.object({ id: z.number() }), ...errors },
        },
      },
      async (request) => {
        const { name, read_topic, write_topic, error_topic } = request.body;
        const { agent } = await agents.create({
          name,
          readTopic: read_topic,
          writeTopic: write_topic,
          errorTopic: error_topic,
        });
        return { id: agent.id };
      },
    );

    routes.post(
      '/api/v1/agent/update',
      {
        config: v1,
        schema: {
          tags,
          summary: 'Replace an active agent',
          body: updateBody,
          response: { 200: success, ...errors },
        },
      },
      async (request) => {
        const { id, name, read_topic, write_topic, error_topic } = request.body;
        const changes = { name, readTopic: read_topic, writeTopic: write_topic, errorTopic: error_topic };
        await agents.update(id, changes, true);
        return { status: 'success' as const };
      },
    );

    routes.delete(
      '/api/v1/agent/delete/:id',
      {
        config: v1,
        schema: {
          tags,
          summary: 'Soft-delete an active agent',
          params: idParams,
          response: { 200: success, ...errors },
        },
      },
      async (request) => {
        await agents.remove(request.params.id, { idempotent: false });
        return { status: 'success' as const };
      },
    );

    routes.get(
      '/api/v1/agent',
      {
        config: v1,
        schema: {
          tags,
          summary: 'List the active agents',
          response: {
            200: z.object({ data: z.array(pascalAgent), status: z.literal('success') }),
            ...errors,
          },
        },
      },
      async () => {
        const { agents: list } = await agents.list({ active: true, offset: 0, limit: listLimit });
        return { data: list.map(toPascal), status: 'success' as const };
      },
    );

    routes.get(
      '/api/v1/agent/:id',
      {
        config: v1,
        schema: {
          tags,
          summary: 'Get an active agent',
          params: idParams,
          response: { 200: z.object({ data: pascalAgent, status: z.literal('success') }), ...errors },
        },
      },
      async (request) => {
        const agent = await agents.get(request.params.id, true);
        return { data: toPascal(agent), status: 'success' as const };
      },
    );

    routes.get(
      '/api/v1/agent/by-name/:name',
      {
        config: v1,
        schema: {
          tags,
          summary: 'Active agents whose name contains the text (case-sensitive); 404 when none',
          params: z.object({ name: z.string().min(1).meta({ example: 'nome-1' }) }),
          response: {
            200: z.object({ data: z.array(pascalAgent), status: z.literal('success') }),
            ...errors,
          },
        },
      },
      async (request) => {
        const { name } = request.params;
        const query = {
          name: { contains: name, caseSensitive: true },
          active: true,
          offset: 0,
          limit: listLimit,
        };
        const { agents: list } = await agents.list(query);
        if (list.length === 0) throw agentNotFound(name);
        return { data: list.map(toPascal), status: 'success' as const };
      },
    );
  };
}
