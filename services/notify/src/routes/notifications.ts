import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createNotificationBody } from '../domain/notification-request.js';
import type { NotificationService } from '../domain/notification-service.js';
import {
  detailDto,
  errorBody,
  notificationStates,
  summaryDto,
  toDetailDto,
  toSummaryDto,
} from './notification-dto.js';

const idParams = z.object({ id: z.uuid().meta({ description: 'Notification id' }) });
const listQuery = z.strictObject({
  state: z.enum(notificationStates).optional(),
  template: z.string().min(1).optional(),
  created_after: z.iso.datetime({ offset: true }).optional(),
  created_before: z.iso.datetime({ offset: true }).optional(),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
});
const errors = { 400: errorBody, 401: errorBody, 404: errorBody, 409: errorBody };
const tags = ['notifications'];
const base = '/api/v1/notifications';

const example = {
  template: { name: 'order_shipped', language: 'en_US' },
  recipients: [{ to: '+15550001111', parameters: { body: ['Jane', '#48213'] } }],
  idempotency_key: 'order-48213-shipped',
};

/** POST, GET, list, resend, cancel; the use cases live in the service, the rules in domain/. */
export function notificationRoutes(deps: {
  service: NotificationService;
  maxRecipients: number;
}): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const { service } = deps;

    routes.post(
      base,
      {
        schema: {
          tags,
          summary: 'Send a template to one or many recipients, now or at send_at',
          description:
            'With an idempotency_key already used, the existing notification is returned (200), nothing new is sent.',
          body: createNotificationBody(deps.maxRecipients).meta({ examples: [example] }),
          response: { 201: detailDto, 200: detailDto, ...errors },
        },
      },
      async (request, reply) => {
        const { created, notification } = await service.create(request.body);
        return reply
          .code(created ? 201 : 200)
          .header('location', `${base}/${notification.id}`)
          .send(toDetailDto(notification));
      },
    );

    routes.get(
      base,
      {
        schema: {
          tags,
          summary: 'List notifications, newest first, with counts per status',
          querystring: listQuery,
          response: {
            200: z.object({
              data: z.array(summaryDto),
              page: z.number(),
              page_size: z.number(),
              total: z.number(),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const { state, template, created_after, created_before, page, page_size } = request.query;
        const result = await service.list({
          ...(state ? { state } : {}),
          ...(template ? { template } : {}),
          ...(created_after ? { createdAfter: new Date(created_after) } : {}),
          ...(created_before ? { createdBefore: new Date(created_before) } : {}),
          offset: (page - 1) * page_size,
          limit: page_size,
        });
        return { data: result.items.map(toSummaryDto), page, page_size, total: result.total };
      },
    );

    routes.get(
      `${base}/:id`,
      {
        schema: {
          tags,
          summary: 'A notification with each recipient’s status and the counts',
          params: idParams,
          response: { 200: detailDto, ...errors },
        },
      },
      async (request) => toDetailDto(await service.get(request.params.id)),
    );

    routes.post(
      `${base}/:id/resend`,
      {
        schema: {
          tags,
          summary: 'Send again to the failed recipients only (never to one that was sent, delivered or read)',
          params: idParams,
          response: { 200: detailDto.extend({ resent: z.number().int() }), ...errors },
        },
      },
      async (request) => {
        const { resent, notification } = await service.resend(request.params.id);
        return { ...toDetailDto(notification), resent };
      },
    );

    routes.post(
      `${base}/:id/cancel`,
      {
        schema: {
          tags,
          summary: 'Cancel the recipients not sent yet',
          params: idParams,
          response: { 200: detailDto, ...errors },
        },
      },
      async (request) => toDetailDto(await service.cancel(request.params.id)),
    );
  };
}
