import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { DeliveryFaults, WebhookDelivery } from '../adapters/webhook-delivery.js';
import type { ConversationStore } from '../conversation-store.js';
import type { UserAction } from '../domain/webhook-payloads.js';
import { samplePhoto } from '../sample-photo.js';
import type { WhatsAppSimulator } from '../whatsapp-simulator.js';

export interface SimApiDeps {
  simulator: WhatsAppSimulator;
  store: ConversationStore;
  delivery: WebhookDelivery;
}

const waId = z.string().regex(/^[A-Za-z0-9.]{3,64}$/, 'a wa_id: digits (or a business-scoped id)');
const newUser = z.object({ wa_id: waId, name: z.string().min(1).max(80) });
const context = { context_message_id: z.string().optional() };
const userAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().min(1).max(4096), ...context }),
  z.object({
    type: z.enum(['list_reply', 'button_reply']),
    id: z.string().min(1),
    title: z.string().min(1),
    description: z.string().optional(),
    ...context,
  }),
  z.object({
    type: z.literal('location'),
    latitude: z.number(),
    longitude: z.number(),
    name: z.string().optional(),
    address: z.string().optional(),
  }),
  z.object({ type: z.literal('image'), caption: z.string().max(1024).optional() }),
  z.object({ type: z.literal('reaction'), message_id: z.string().min(1), emoji: z.string().optional() }),
  z.object({ type: z.literal('unsupported') }),
]);
const faults = z.object({
  fail_next: z
    .array(z.object({ code: z.number().int(), count: z.number().int().min(1).max(10_000) }))
    .optional(),
  response_delay_ms: z.number().int().min(0).max(60_000).optional(),
  duplicate_rate: z.number().min(0).max(1).optional(),
  reorder: z.boolean().optional(),
});

function parse<T>(
  schema: z.ZodType<T>,
  value: unknown,
): { ok: true; data: T } | { ok: false; error: Record<string, unknown> } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  return {
    ok: false,
    error: {
      error: 'invalid_request',
      issues: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    },
  };
}

/** The simulator's own API: simulated users, their chats, fault injection. Used by the phone page and tests. */
export function simApiRoutes(deps: SimApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/sim/users', async () => ({ users: deps.store.listUsers() }));

    app.post('/sim/users', async (request, reply) => {
      const body = parse(newUser, request.body);
      if (!body.ok) return reply.code(400).send(body.error);
      return reply.code(201).send(deps.store.upsertUser({ waId: body.data.wa_id, name: body.data.name }));
    });

    app.post<{ Params: { waId: string } }>('/sim/users/:waId/messages', async (request, reply) => {
      const id = parse(waId, request.params.waId);
      const body = parse(userAction.and(z.object({ name: z.string().max(80).optional() })), request.body);
      if (!id.ok) return reply.code(400).send(id.error);
      if (!body.ok) return reply.code(400).send(body.error);
      const { name, ...action } = body.data;
      const resolved: UserAction =
        action.type === 'image'
          ? {
              ...deps.simulator.addUserImage(samplePhoto(), 'image/png'),
              type: 'image',
              ...(action.caption ? { caption: action.caption } : {}),
            }
          : action;
      return reply.code(202).send(deps.simulator.userSends(id.data, name, resolved));
    });

    app.get<{ Params: { waId: string }; Querystring: { after?: string } }>(
      '/sim/users/:waId/messages',
      async (request) => ({
        messages: deps.store.entries(request.params.waId, Number(request.query.after ?? 0) || 0),
      }),
    );

    app.post<{ Params: { waId: string } }>('/sim/users/:waId/read', async (request) => ({
      read: deps.simulator.userReads(request.params.waId),
    }));

    // Test hook: move the user's last message back in time, e.g. to close the 24 h window.
    app.post<{ Params: { waId: string } }>('/sim/users/:waId/last-inbound', async (request, reply) => {
      const body = parse(z.object({ at: z.iso.datetime() }), request.body);
      if (!body.ok) return reply.code(400).send(body.error);
      deps.store.setLastInboundAt(request.params.waId, new Date(body.data.at));
      return { ok: true };
    });

    app.get('/sim/faults', async () => currentFaults(deps));
    app.put('/sim/faults', async (request, reply) => {
      const body = parse(faults, request.body);
      if (!body.ok) return reply.code(400).send(body.error);
      applyFaults(deps, body.data);
      return currentFaults(deps);
    });

    app.get('/sim/stats', async () => ({
      delivery: deps.delivery.stats,
      idle: deps.delivery.idle() && deps.simulator.idle(),
    }));

    app.post('/sim/reset', async () => {
      deps.store.clear();
      deps.simulator.resetLimits();
      applyFaults(deps, { fail_next: [], response_delay_ms: 0, duplicate_rate: 0, reorder: false });
      return { ok: true };
    });
  };
}

function applyFaults(deps: SimApiDeps, input: z.infer<typeof faults>): void {
  if (input.fail_next)
    deps.simulator.faults.failNext = input.fail_next.map((fault) => ({
      code: fault.code,
      remaining: fault.count,
    }));
  if (input.response_delay_ms !== undefined) deps.simulator.faults.responseDelayMs = input.response_delay_ms;
  const delivery: Partial<DeliveryFaults> = {};
  if (input.duplicate_rate !== undefined) delivery.duplicateRate = input.duplicate_rate;
  if (input.reorder !== undefined) delivery.reorder = input.reorder;
  deps.delivery.faults = { ...deps.delivery.faults, ...delivery };
}

function currentFaults(deps: SimApiDeps) {
  return {
    fail_next: deps.simulator.faults.failNext.map((fault) => ({ code: fault.code, count: fault.remaining })),
    response_delay_ms: deps.simulator.faults.responseDelayMs,
    duplicate_rate: deps.delivery.faults.duplicateRate,
    reorder: deps.delivery.faults.reorder,
  };
}
