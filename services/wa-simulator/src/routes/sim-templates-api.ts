import type { MessageTemplateRecord } from '@wa-broker/shared/message-templates';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { MessageTemplates } from '../message-templates.js';
import type { ResumableUploads } from '../resumable-uploads.js';
import {
  templateCategoryChange,
  templateListQuery,
  templateQualityChange,
  templateStatusChange,
} from './sim-api-schemas.js';

export interface SimTemplateDeps {
  templates: MessageTemplates;
  uploads: ResumableUploads;
}

function invalid(reply: FastifyReply, parsed: { error: z.ZodError }) {
  return reply.code(400).send({
    error: 'invalid_request',
    issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  });
}

/**
 * What Meta does to templates on its own, on request (tests, the phone page): review outcomes, pauses, quality
 * and category changes, each sending its webhook; and a look at every WABA's templates.
 */
export function simTemplateRoutes(deps: SimTemplateDeps): FastifyPluginAsync {
  const answer = (reply: FastifyReply, id: string, template: MessageTemplateRecord | undefined) =>
    template ? reply.send({ template }) : reply.code(404).send({ error: 'unknown_template', message: id });
  return async (app) => {
    app.get<{ Querystring: Record<string, string> }>('/sim/templates', async (request, reply) => {
      const query = templateListQuery.safeParse(request.query);
      if (!query.success) return invalid(reply, query);
      const wabaId = query.data.waba_id;
      if (wabaId !== undefined && !deps.templates.registry.hasWaba(wabaId))
        return reply.code(400).send({ error: 'unknown_waba', message: `no WABA ${wabaId}` });
      return { templates: deps.templates.registry.all(wabaId) };
    });

    // A header sample uploaded through the Resumable Upload API, by its handle (no token: the phone page's view).
    app.get<{ Querystring: { handle?: string } }>('/sim/header-samples', async (request, reply) => {
      const sample = deps.uploads.find(request.query.handle ?? '');
      if (!sample)
        return reply.code(404).send({ error: 'unknown_handle', message: request.query.handle ?? '' });
      return reply
        .type(sample.mimeType)
        .header('x-sample-sha256', sample.sha256)
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(sample.fileName)}`)
        .send(sample.bytes);
    });

    app.post<{ Params: { id: string } }>('/sim/templates/:id/status', async (request, reply) => {
      const body = templateStatusChange.safeParse(request.body);
      if (!body.success) return invalid(reply, body);
      const { id } = request.params;
      return answer(reply, id, deps.templates.setStatus(id, body.data.status, body.data.reason));
    });

    app.post<{ Params: { id: string } }>('/sim/templates/:id/quality', async (request, reply) => {
      const body = templateQualityChange.safeParse(request.body);
      if (!body.success) return invalid(reply, body);
      const { id } = request.params;
      return answer(reply, id, deps.templates.setQuality(id, body.data.score));
    });

    app.post<{ Params: { id: string } }>('/sim/templates/:id/category', async (request, reply) => {
      const body = templateCategoryChange.safeParse(request.body);
      if (!body.success) return invalid(reply, body);
      const { id } = request.params;
      return answer(reply, id, deps.templates.setCategory(id, body.data.category));
    });
  };
}
