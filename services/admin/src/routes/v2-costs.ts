import { pricingCategories, sendOrigins } from '@wa-broker/shared/pricing';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CostService } from '../domain/cost-service.js';
import { maxReportDays } from '../domain/message-cost.js';
import { v2ErrorBody } from './common-schemas.js';

const day = (description: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD')
    .meta({ description, example: '2026-10-01' });

const query = z.strictObject({
  from: day(
    'First UTC day, included; the start of `to`’s month (or of the current month) when absent',
  ).optional(),
  to: day(
    `Last UTC day, included, at most ${maxReportDays} days after from; the end of \`from\`’s month (or of the current month) when absent`,
  ).optional(),
  agent_id: z
    .string()
    .regex(/^\d{1,15}$/, 'must be an agent id')
    .optional()
    .meta({ description: 'Only this agent’s sends', example: '1' }),
  origin: z.enum(sendOrigins).optional().meta({ description: 'Who made the send' }),
  category: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .meta({
      description: `Meta’s pricing category (${pricingCategories.join(', ')}, …)`,
      example: 'service',
    }),
});

const row = z.object({
  day: z
    .string()
    .meta({ description: 'UTC day of the send (of its first priced status while the send is unknown)' }),
  agent_id: z
    .string()
    .nullable()
    .meta({ description: 'Null: notifications, the router’s own, or send unknown' }),
  agent_name: z.string().nullable(),
  origin: z.enum(sendOrigins).nullable().meta({ description: 'Null while the send record is missing' }),
  category: z
    .string()
    .nullable()
    .meta({ description: 'Meta’s pricing category; null while no status was priced' }),
  messages: z.number().int(),
  billable_messages: z.number().int().meta({ description: 'Those Meta bills (`pricing.type` regular)' }),
});

const report = z.object({
  from: z.string(),
  to: z.string(),
  data: z.array(row),
  totals: z.object({ messages: z.number().int(), billable_messages: z.number().int() }),
});

/** What each agent's conversations cost (issue 19 §5): messages and billable messages by day, agent, origin, category. */
export function v2CostRoutes(deps: { costs: CostService }): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get(
      '/api/v2/costs',
      {
        schema: {
          tags: ['v2 costs'],
          summary:
            'Messages and billable messages per UTC day, agent, origin and pricing category, with totals',
          querystring: query,
          response: { 200: report, 400: v2ErrorBody, 401: v2ErrorBody, 429: v2ErrorBody },
        },
      },
      async (request) => {
        const q = request.query;
        return deps.costs.report({
          from: q.from,
          to: q.to,
          agentId: q.agent_id,
          origin: q.origin,
          category: q.category,
        });
      },
    );
  };
}
