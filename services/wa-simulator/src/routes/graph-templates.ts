import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NumberDirectory } from '../domain/business-numbers.js';
import { metaErrors } from '../domain/meta-errors.js';
import { type TemplateListQuery, templatePage } from '../domain/template-listing.js';
import type { MessageTemplates } from '../message-templates.js';
import { sendMetaError } from './meta-reply.js';

export interface GraphTemplateDeps {
  templates: MessageTemplates;
  numbers: NumberDirectory;
  /** Answers with the version served (and sets its header), or answers an unknown version and gives undefined. */
  serve: (
    request: FastifyRequest<{ Params: { version?: string } }>,
    reply: FastifyReply,
  ) => string | undefined;
}

type WabaRequest<Query = Record<string, string | undefined>> = FastifyRequest<{
  Params: { version?: string; wabaId: string };
  Querystring: Query;
}>;

/**
 * Meta's template management edge, `/{waba-id}/message_templates` (with or without a version, like the other
 * Graph paths), with the token of any number of that WABA: create (checked with the shared definition rules;
 * PENDING until the simulated review), list (filtered, cursor-paged like Graph), delete by name or `hsm_id`.
 */
export function registerGraphTemplateRoutes(app: FastifyInstance, deps: GraphTemplateDeps): void {
  /** The checks every call makes: version, then the WABA and the token; false once it has answered. */
  const admitted = (
    request: WabaRequest<unknown>,
    reply: FastifyReply,
    method: 'get' | 'post' | 'delete',
  ) => {
    if (deps.serve(request, reply) === undefined) return false;
    const access = deps.numbers.accessWaba(request.params.wabaId, request.headers.authorization, method);
    if (!access.ok) sendMetaError(reply, access.error);
    return access.ok;
  };

  const create = async (request: WabaRequest, reply: FastifyReply) => {
    if (!admitted(request, reply, 'post')) return reply;
    const outcome = deps.templates.create(request.params.wabaId, request.body);
    if (!outcome.ok) return sendMetaError(reply, outcome.error);
    const { id, status, category } = outcome.template;
    return reply.code(200).send({ id, status, category });
  };

  const list = async (request: WabaRequest<TemplateListQuery>, reply: FastifyReply) => {
    if (!admitted(request, reply, 'get')) return reply;
    const path = request.url.split('?')[0] ?? request.url;
    const pageUrl = (query: Record<string, string>) =>
      `${request.protocol}://${request.host}${path}?${new URLSearchParams(query).toString()}`;
    const page = templatePage(deps.templates.registry.list(request.params.wabaId), request.query, pageUrl);
    if (!page.ok) return sendMetaError(reply, metaErrors.invalidParameter(page.problem));
    return reply.code(200).send(page.body);
  };

  const remove = async (request: WabaRequest<{ name?: string; hsm_id?: string }>, reply: FastifyReply) => {
    if (!admitted(request, reply, 'delete')) return reply;
    const refusal = deps.templates.delete(request.params.wabaId, request.query.name, request.query.hsm_id);
    if (refusal) return sendMetaError(reply, refusal);
    return reply.code(200).send({ success: true });
  };

  for (const prefix of ['/:version', '']) {
    app.post(`${prefix}/:wabaId/message_templates`, create);
    app.get(`${prefix}/:wabaId/message_templates`, list);
    app.delete(`${prefix}/:wabaId/message_templates`, remove);
  }
}
