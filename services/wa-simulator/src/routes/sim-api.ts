import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { WebhookDelivery } from '../adapters/webhook-delivery.js';
import type { ConversationStore } from '../conversation-store.js';
import { type NumberDirectory, publicNumber, type SimNumber } from '../domain/business-numbers.js';
import type { MediaStore } from '../media-store.js';
import type { MessageTemplates } from '../message-templates.js';
import { isMediaType } from '../outbound-media.js';
import type { ResumableUploads } from '../resumable-uploads.js';
import { IdentityConflict, type SimulatedUsers } from '../simulated-users.js';
import type { WhatsAppSimulator } from '../whatsapp-simulator.js';
import {
  address,
  type Faults,
  faults,
  identityChange,
  newUser,
  numberChoice,
  profileFields,
  userAction,
  userSharing,
} from './sim-api-schemas.js';
import { userFile } from './sim-media-api.js';

type UserActionBody = z.infer<typeof userAction>;
type FileAction = Extract<UserActionBody, { type: 'image' | 'audio' | 'video' | 'document' | 'sticker' }>;
const isFileAction = (action: UserActionBody): action is FileAction => isMediaType(action.type);

/** A JSON body may carry a file of up to 100 MB in base64. */
const jsonFileBodyLimit = 140 * 1024 * 1024;

/** The configured state of the switchable faults, restored by `POST /sim/reset`. */
export type FaultDefaults = Required<
  Pick<Faults, 'duplicate_rate' | 'batch_window_ms' | 'window_error_mode'>
>;

export interface SimApiDeps {
  simulator: WhatsAppSimulator;
  users: SimulatedUsers;
  store: ConversationStore;
  delivery: WebhookDelivery;
  numbers: NumberDirectory;
  media: MediaStore;
  templates: MessageTemplates;
  /** Template header samples: forgotten on reset with the templates they were for. */
  uploads: ResumableUploads;
  faultDefaults: FaultDefaults;
}

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

/**
 * The simulator's own API: simulated users, their chats, fault injection. Used by the phone page and tests.
 * Where a user acts towards a business number, `phone_number_id` names it (default: the first number).
 */
export function simApiRoutes(deps: SimApiDeps): FastifyPluginAsync {
  const reset = { fail_next: [], response_delay_ms: 0, reorder: false, ...deps.faultDefaults };
  applyFaults(deps, reset);
  /** The number a request's `phone_number_id` names (none when absent: callers take the first); 400 if unknown. */
  const chosenNumber = (value: unknown): { ok: true; number?: SimNumber } | { ok: false; error: unknown } => {
    const choice = parse(numberChoice, value ?? {});
    if (!choice.ok) return choice;
    const id = choice.data.phone_number_id;
    if (id === undefined) return { ok: true };
    const number = deps.numbers.find(id);
    return number
      ? { ok: true, number }
      : { ok: false, error: { error: 'unknown_number', message: `no business number ${id}` } };
  };
  return async (app) => {
    app.get('/sim/numbers', async () => ({ numbers: deps.numbers.all.map(publicNumber) }));

    app.get('/sim/users', async () => ({ users: deps.store.listUsers() }));

    app.post('/sim/users', async (request, reply) => {
      const body = parse(newUser, request.body);
      if (!body.ok) return reply.code(400).send(body.error);
      const { wa_id, user_id, username, country_code, name } = body.data;
      const user = deps.users.create({
        name,
        ...(wa_id ? { waId: wa_id } : {}),
        ...(user_id ? { userId: user_id } : {}),
        ...(username ? { username } : {}),
        ...(country_code ? { countryCode: country_code } : {}),
      });
      return reply.code(201).send(user);
    });

    app.post<{ Params: { id: string } }>(
      '/sim/users/:id/messages',
      { bodyLimit: jsonFileBodyLimit },
      async (request, reply) => {
        const id = parse(address, request.params.id);
        const body = parse(userAction, request.body);
        const profile = parse(profileFields, request.body);
        const chosen = chosenNumber(request.body);
        if (!id.ok) return reply.code(400).send(id.error);
        if (!body.ok) return reply.code(400).send(body.error);
        if (!profile.ok) return reply.code(400).send(profile.error);
        if (!chosen.ok) return reply.code(400).send(chosen.error);
        const number = chosen.number ?? deps.numbers.first;
        const action = body.data;
        const legacyName = action.type === 'location' ? undefined : profile.data.name || undefined;
        const profileName = profile.data.profile_name ?? legacyName;
        if (!isFileAction(action))
          return reply.code(202).send(deps.users.sends(number, id.data, profileName, action));
        const { data_base64, mime_type, caption, filename, voice, animated, too_large } = action;
        const file = userFile(data_base64 === undefined ? undefined : Buffer.from(data_base64, 'base64'), {
          type: action.type,
          ...(mime_type ? { mimeType: mime_type } : {}),
          ...(caption ? { caption } : {}),
          ...(filename ? { filename } : {}),
          ...(voice !== undefined ? { voice } : {}),
          ...(animated !== undefined ? { animated } : {}),
          ...(too_large ? { tooLarge: true } : {}),
        });
        if (!file.ok) return reply.code(400).send(file.error);
        return reply.code(202).send(deps.users.sendsFile(number, id.data, profileName, file.file));
      },
    );

    // Meta stops (or resumes) sharing the user's phone: 30 days without contact, outside its contact book.
    app.patch<{ Params: { id: string } }>('/sim/users/:id', async (request, reply) => {
      const body = parse(userSharing, request.body);
      if (!body.ok) return reply.code(400).send(body.error);
      if (!deps.store.find(request.params.id))
        return reply.code(404).send({ error: 'unknown_user', message: request.params.id });
      return deps.store.change(request.params.id, { phoneHidden: body.data.phone_hidden });
    });

    app.post<{ Params: { id: string } }>('/sim/users/:id/system', async (request, reply) => {
      const body = parse(identityChange, request.body);
      const chosen = chosenNumber(request.body);
      if (!body.ok) return reply.code(400).send(body.error);
      if (!chosen.ok) return reply.code(400).send(chosen.error);
      if (!deps.store.find(request.params.id))
        return reply.code(404).send({ error: 'unknown_user', message: request.params.id });
      const change = body.data;
      try {
        const result = deps.users.changeIdentity(
          chosen.number ?? deps.numbers.first,
          request.params.id,
          change.type === 'user_changed_number'
            ? { type: change.type, waId: change.wa_id }
            : { type: change.type, ...(change.user_id ? { userId: change.user_id } : {}) },
        );
        return reply.code(202).send(result);
      } catch (error) {
        if (error instanceof IdentityConflict)
          return reply.code(409).send({ error: 'identity_taken', message: error.message });
        throw error;
      }
    });

    // Every number's entries, or with `phone_number_id` the chat with that number only.
    app.get<{ Params: { id: string }; Querystring: { after?: string; phone_number_id?: string } }>(
      '/sim/users/:id/messages',
      async (request, reply) => {
        const chosen = chosenNumber({ phone_number_id: request.query.phone_number_id });
        if (!chosen.ok) return reply.code(400).send(chosen.error);
        const after = Number(request.query.after ?? 0) || 0;
        return { messages: deps.store.entries(request.params.id, after, chosen.number?.phoneNumberId) };
      },
    );

    // Whether the phone shows the business "typing…" (a typing indicator, until the reply or 25 s).
    app.get<{ Params: { id: string }; Querystring: { phone_number_id?: string } }>(
      '/sim/users/:id/typing',
      async (request, reply) => {
        const chosen = chosenNumber({ phone_number_id: request.query.phone_number_id });
        if (!chosen.ok) return reply.code(400).send(chosen.error);
        const number = chosen.number ?? deps.numbers.first;
        return deps.simulator.typingOf(request.params.id, number.phoneNumberId);
      },
    );

    // The user opens the chat with `phone_number_id`, or without it every chat.
    app.post<{ Params: { id: string } }>('/sim/users/:id/read', async (request, reply) => {
      const chosen = chosenNumber(request.body);
      if (!chosen.ok) return reply.code(400).send(chosen.error);
      return { read: deps.users.reads(request.params.id, chosen.number) };
    });

    // Test hook: move the user's last message to a number back in time, e.g. to close its 24 h window.
    app.post<{ Params: { id: string } }>('/sim/users/:id/last-inbound', async (request, reply) => {
      const body = parse(z.object({ at: z.iso.datetime() }), request.body);
      const chosen = chosenNumber(request.body);
      if (!body.ok) return reply.code(400).send(body.error);
      if (!chosen.ok) return reply.code(400).send(chosen.error);
      const number = chosen.number ?? deps.numbers.first;
      deps.store.setLastInboundAt(request.params.id, number.phoneNumberId, new Date(body.data.at));
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
      // Sends the limits refused, by Meta's code (injected faults not counted).
      refused: { '130429': deps.simulator.refused.throughput, '131056': deps.simulator.refused.pair },
      idle: deps.delivery.idle() && deps.simulator.idle() && deps.templates.idle(),
    }));

    app.post('/sim/reset', async () => {
      deps.store.clear();
      deps.media.clear();
      deps.templates.reset();
      deps.uploads.reset();
      deps.simulator.resetLimits();
      applyFaults(deps, reset);
      return { ok: true };
    });
  };
}

function applyFaults(deps: SimApiDeps, input: Faults): void {
  const send = deps.simulator.faults;
  if (input.fail_next)
    send.failNext = input.fail_next.map((fault) => ({ code: fault.code, remaining: fault.count }));
  if (input.response_delay_ms !== undefined) send.responseDelayMs = input.response_delay_ms;
  if (input.window_error_mode !== undefined) send.windowErrorMode = input.window_error_mode;
  const delivery = deps.delivery.faults;
  if (input.duplicate_rate !== undefined) delivery.duplicateRate = input.duplicate_rate;
  if (input.reorder !== undefined) delivery.reorder = input.reorder;
  if (input.batch_window_ms !== undefined) delivery.batchWindowMs = input.batch_window_ms;
}

function currentFaults(deps: SimApiDeps): Faults {
  return {
    fail_next: deps.simulator.faults.failNext.map((fault) => ({ code: fault.code, count: fault.remaining })),
    response_delay_ms: deps.simulator.faults.responseDelayMs,
    duplicate_rate: deps.delivery.faults.duplicateRate,
    reorder: deps.delivery.faults.reorder,
    batch_window_ms: deps.delivery.faults.batchWindowMs,
    window_error_mode: deps.simulator.faults.windowErrorMode,
  };
}
