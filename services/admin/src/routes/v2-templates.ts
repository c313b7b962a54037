import {
  messageTemplateRecord,
  parameterFormats,
  templateCategories,
  templateComponentDefinition,
} from '@wa-broker/shared/message-templates';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { largestHeaderSampleBytes } from '../domain/header-media.js';
import type { TemplateService } from '../domain/template-service.js';
import { v2ErrorBody } from './common-schemas.js';

const record = messageTemplateRecord.shape;

const wabaId = record.waba_id.meta({
  description: 'The WhatsApp Business Account',
  example: '102290129340398',
});
const templateName = z
  .string()
  .min(1)
  .max(512)
  .meta({ description: 'Template name', example: 'order_update' });
const language = z.string().min(2).max(15).meta({ description: 'Meta’s language code', example: 'en_US' });

const listQuery = z.strictObject({
  waba_id: wabaId.optional(),
  status: record.status.optional(),
  category: record.category.optional(),
  language: language.optional(),
  name: templateName.optional(),
});

const templateList = z.object({ data: z.array(messageTemplateRecord) });

/**
 * The definition as Meta's create endpoint takes it. Only the shape is checked here (400); Meta's rules (name
 * format, limits, examples) are `checkTemplateDefinition`'s, answered 422 by field before anything is submitted.
 */
const createBody = z
  .strictObject({
    waba_id: wabaId,
    name: z.string().min(1).max(1024).meta({ description: 'lowercase letters, digits and _' }),
    language: z.string().min(1).max(32).meta({ description: 'Meta’s language code, e.g. en_US' }),
    category: z.enum(templateCategories),
    parameter_format: z
      .enum(parameterFormats)
      .optional()
      .meta({ description: 'POSITIONAL ({{1}}) when absent, or NAMED ({{order_id}})' }),
    components: z.array(templateComponentDefinition).min(1),
    header_media: z
      .strictObject({
        data_base64: z.base64().meta({ description: 'The file, base64' }),
        mime_type: z.string().min(1).max(255).meta({ example: 'image/png' }),
        filename: z.string().min(1).max(255).meta({ example: 'header.png' }),
      })
      .optional()
      .meta({
        description:
          'The sample file of an IMAGE, VIDEO or DOCUMENT header, instead of example.header_handle: checked with Meta’s media rules for the format (422 by field, nothing sent), uploaded through Meta’s Resumable Upload API (META_APP_ID), its handle put into the header’s example.header_handle',
      }),
  })
  .meta({
    examples: [
      {
        waba_id: '102290129340398',
        name: 'order_update',
        language: 'en_US',
        category: 'UTILITY',
        components: [
          {
            type: 'BODY',
            text: 'Hello {{1}}, your order {{2}} has shipped.',
            example: { body_text: [['Jane', '#1234']] },
          },
        ],
      },
    ],
  });

const byNameParams = z.object({ waba_id: wabaId, name: templateName });
const deleteQuery = z.strictObject({
  language: language
    .optional()
    .meta({ description: 'Only this language; every language of the name when absent' }),
});

/**
 * The create's body may carry a header sample as base64 (4 bytes per 3): sized for the largest sample a header
 * format takes in Meta's media rules (document's 100 MB; image 5 MB, video 16 MB), plus 1 MiB for the rest.
 */
const createBodyLimit = Math.ceil(largestHeaderSampleBytes / 3) * 4 + 1024 * 1024;

const errors = {
  400: v2ErrorBody,
  401: v2ErrorBody,
  404: v2ErrorBody,
  422: v2ErrorBody,
  429: v2ErrorBody,
  502: v2ErrorBody,
  503: v2ErrorBody,
};
const tags = ['v2 templates'];

/**
 * Message templates of the WABAs of the active numbers (issue 19 §2): the store's view, create and delete passed
 * through to the Graph API. Same auth and error shapes as the other v2 routes.
 */
export function v2TemplateRoutes(deps: { templates: TemplateService }): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const { templates } = deps;

    routes.get(
      '/api/v2/templates',
      {
        schema: {
          tags,
          summary: 'List stored templates (every WABA, name and language), filtered',
          querystring: listQuery,
          response: { 200: templateList, ...errors },
        },
      },
      async (request) => {
        const { waba_id, status, category, language: lang, name } = request.query;
        const data = await templates.list({
          ...(waba_id === undefined ? {} : { wabaId: waba_id }),
          ...(status === undefined ? {} : { status }),
          ...(category === undefined ? {} : { category }),
          ...(lang === undefined ? {} : { language: lang }),
          ...(name === undefined ? {} : { name }),
        });
        return { data };
      },
    );

    routes.get(
      '/api/v2/templates/:waba_id/:name',
      {
        schema: {
          tags,
          summary: 'One template name in every language (deleted ones too)',
          params: byNameParams,
          response: { 200: templateList, ...errors },
        },
      },
      async (request) => ({ data: await templates.byName(request.params.waba_id, request.params.name) }),
    );

    routes.post(
      '/api/v2/templates',
      {
        bodyLimit: createBodyLimit,
        schema: {
          tags,
          summary:
            'Create a template: checked against Meta’s rules (422 by field, nothing submitted), then submitted to Meta; a media header’s sample may come as header_media (base64), uploaded to Meta for its handle',
          body: createBody,
          response: { 201: messageTemplateRecord, ...errors },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const media = body.header_media;
        const template = await templates.create(
          {
            wabaId: body.waba_id,
            name: body.name,
            language: body.language,
            category: body.category,
            parameterFormat: body.parameter_format,
            components: body.components,
          },
          media && {
            bytes: Buffer.from(media.data_base64, 'base64'),
            mimeType: media.mime_type,
            filename: media.filename,
          },
        );
        return reply
          .code(201)
          .header('location', `/api/v2/templates/${template.waba_id}/${encodeURIComponent(template.name)}`)
          .send(template);
      },
    );

    routes.delete(
      '/api/v2/templates/:waba_id/:name',
      {
        schema: {
          tags,
          summary:
            'Delete a template at Meta (one language, or every language of the name); stored as DELETED',
          params: byNameParams,
          querystring: deleteQuery,
          response: { 200: templateList, ...errors },
        },
      },
      async (request) => ({
        data: await templates.remove(request.params.waba_id, request.params.name, request.query.language),
      }),
    );
  };
}
