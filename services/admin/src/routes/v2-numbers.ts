import { businessNumberRecord, numberToken } from '@wa-broker/shared/business-numbers';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TokenInput } from '../domain/business-number.js';
import { toNumberView } from '../domain/number-record.js';
import type { NumberService } from '../domain/number-service.js';
import { v2ErrorBody } from './common-schemas.js';

const record = businessNumberRecord.shape;
const [storedToken, secretToken] = numberToken.options;

const plainToken = z.string().min(1).max(4096).regex(/^\S+$/, 'must not contain whitespace').meta({
  description: 'The Graph API token: sealed with NUMBER_TOKEN_KEY before it is stored, never returned',
});
const tokenSecret = secretToken.shape.name.meta({
  description: 'Name of the environment variable the router reads the Graph API token from',
  example: 'WA_TOKEN_SALES',
});
const agentIds = record.agent_ids
  .unwrap()
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat an id')
  .nullable()
  .meta({
    description: 'Agents offered on this number’s menu (existing agent ids); null: every active agent',
  });

/** The REST view of a number: where its token comes from, never the token nor its ciphertext. */
const numberView = z.object({
  phone_number_id: record.phone_number_id,
  waba_id: record.waba_id,
  display_phone_number: record.display_phone_number,
  name: record.name,
  token_source: z.enum([storedToken.shape.source.value, secretToken.shape.source.value]),
  token_secret: tokenSecret.nullable().meta({ description: 'For token_source=secret, the variable name' }),
  throughput_tier: record.throughput_tier,
  agent_ids: record.agent_ids,
  active: record.active,
  created_at: record.created_at,
  updated_at: record.updated_at,
});

/** At most one token form; `required`: exactly one. Reported on `token`, the field the caller must fix. */
function checkTokenForms(required: boolean) {
  return (body: { token?: string | undefined; token_secret?: string | undefined }, ctx: z.RefinementCtx) => {
    const given = [body.token, body.token_secret].filter((value) => value !== undefined).length;
    if (given > 1)
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'give token or token_secret, not both' });
    if (required && given === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['token'],
        message: 'give token (the Graph API token) or token_secret (an environment variable name)',
      });
  };
}

const editable = {
  waba_id: record.waba_id,
  display_phone_number: record.display_phone_number,
  name: record.name,
  throughput_tier: record.throughput_tier,
  agent_ids: agentIds,
  token: plainToken,
  token_secret: tokenSecret,
};

const createBody = z
  .strictObject({
    phone_number_id: record.phone_number_id,
    waba_id: editable.waba_id,
    display_phone_number: editable.display_phone_number,
    name: editable.name,
    throughput_tier: editable.throughput_tier
      .optional()
      .meta({ description: 'standard (80 mps) when absent' }),
    agent_ids: editable.agent_ids.optional().meta({ description: 'null (every active agent) when absent' }),
    token: editable.token.optional(),
    token_secret: editable.token_secret.optional(),
  })
  .superRefine(checkTokenForms(true))
  .meta({
    description: 'Exactly one of token and token_secret',
    examples: [
      {
        phone_number_id: '106540352242922',
        waba_id: '102290129340398',
        display_phone_number: '+1 555-010-0000',
        name: 'Sales line',
        throughput_tier: 'standard',
        agent_ids: null,
        token_secret: 'WA_TOKEN_SALES',
      },
    ],
  });

const patchBody = z
  .strictObject({
    waba_id: editable.waba_id.optional(),
    display_phone_number: editable.display_phone_number.optional(),
    name: editable.name.optional(),
    throughput_tier: editable.throughput_tier.optional(),
    agent_ids: editable.agent_ids.optional(),
    token: editable.token.optional(),
    token_secret: editable.token_secret.optional(),
    active: z.boolean().optional(),
  })
  .superRefine(checkTokenForms(false))
  .refine((body) => Object.keys(body).length > 0, 'must change at least one field')
  .meta({
    description: 'Any field; token or token_secret (not both) replaces the token',
    examples: [{ name: 'Sales and returns', agent_ids: [1] }],
  });

const numberParams = z.object({
  phone_number_id: record.phone_number_id.meta({
    description: 'Meta’s phone number id',
    example: '106540352242922',
  }),
});

const listQuery = z.strictObject({
  active: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .meta({ description: 'Only active (true) or only deleted (false) numbers; both when absent' }),
  waba_id: record.waba_id
    .optional()
    .meta({ description: 'Only the numbers of this WhatsApp Business Account' }),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
});

const numberPage = z.object({
  data: z.array(numberView),
  page: z.number().int(),
  page_size: z.number().int(),
  total: z.number().int(),
});

const errors = { 400: v2ErrorBody, 401: v2ErrorBody, 404: v2ErrorBody, 409: v2ErrorBody, 503: v2ErrorBody };
const tags = ['v2 numbers'];

const tokenInput = (body: { token?: string | undefined; token_secret?: string | undefined }) =>
  body.token !== undefined
    ? ({ plain: body.token } satisfies TokenInput)
    : body.token_secret !== undefined
      ? ({ secretName: body.token_secret } satisfies TokenInput)
      : undefined;

/** The business numbers this deployment serves (issue 17 §2): same auth and error shapes as the v2 agents. */
export function v2NumberRoutes(deps: { numbers: NumberService }): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const { numbers } = deps;

    routes.get(
      '/api/v2/numbers',
      {
        schema: {
          tags,
          summary: 'List business numbers, oldest first',
          querystring: listQuery,
          response: { 200: numberPage, ...errors },
        },
      },
      async (request) => {
        const { active, waba_id, page, page_size } = request.query;
        const result = await numbers.list({
          ...(active === undefined ? {} : { active }),
          ...(waba_id === undefined ? {} : { wabaId: waba_id }),
          offset: (page - 1) * page_size,
          limit: page_size,
        });
        return { data: result.numbers.map(toNumberView), page, page_size, total: result.total };
      },
    );

    routes.post(
      '/api/v2/numbers',
      {
        schema: {
          tags,
          summary: 'Add a business number with its Graph API token (token, sealed) or token_secret',
          body: createBody,
          response: { 201: numberView, ...errors },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const token = tokenInput(body);
        // The schema's refinement guarantees one form; this keeps the type honest.
        if (!token) throw new Error('no token form passed validation');
        const number = await numbers.create({
          phoneNumberId: body.phone_number_id,
          wabaId: body.waba_id,
          displayPhoneNumber: body.display_phone_number,
          name: body.name,
          token,
          throughputTier: body.throughput_tier,
          agentIds: body.agent_ids,
        });
        return reply
          .code(201)
          .header('location', `/api/v2/numbers/${number.phoneNumberId}`)
          .send(toNumberView(number));
      },
    );

    routes.get(
      '/api/v2/numbers/:phone_number_id',
      {
        schema: {
          tags,
          summary: 'Get a business number (also a deleted one)',
          params: numberParams,
          response: { 200: numberView, ...errors },
        },
      },
      async (request) => toNumberView(await numbers.get(request.params.phone_number_id)),
    );

    routes.patch(
      '/api/v2/numbers/:phone_number_id',
      {
        schema: {
          tags,
          summary:
            'Change a business number (token rotation included); active=false deletes it, active=true restores it',
          params: numberParams,
          body: patchBody,
          response: { 200: numberView, ...errors },
        },
      },
      async (request) => {
        const body = request.body;
        const number = await numbers.update(request.params.phone_number_id, {
          wabaId: body.waba_id,
          displayPhoneNumber: body.display_phone_number,
          name: body.name,
          token: tokenInput(body),
          throughputTier: body.throughput_tier,
          agentIds: body.agent_ids,
          active: body.active,
        });
        return toNumberView(number);
      },
    );

    routes.delete(
      '/api/v2/numbers/:phone_number_id',
      {
        schema: {
          tags,
          summary: 'Soft-delete a business number (idempotent): the router stops answering from it',
          params: numberParams,
          response: { 204: z.null().meta({ description: 'Deleted' }), ...errors },
        },
      },
      async (request, reply) => {
        await numbers.remove(request.params.phone_number_id);
        return reply.code(204).send(null);
      },
    );
  };
}
