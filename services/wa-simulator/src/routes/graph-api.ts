import { servedGraphApiVersion } from '@wa-broker/shared/graph-api-versions';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { NumberDirectory } from '../domain/business-numbers.js';
import { metaErrors } from '../domain/meta-errors.js';
import type { MediaStore } from '../media-store.js';
import type { MessageTemplates } from '../message-templates.js';
import type { ResumableUploads } from '../resumable-uploads.js';
import type { WhatsAppSimulator } from '../whatsapp-simulator.js';
import { registerGraphMediaRoutes } from './graph-media.js';
import { registerGraphTemplateRoutes } from './graph-templates.js';
import { graphUploadRoutes } from './graph-uploads.js';
import { sendMetaError } from './meta-reply.js';

export { sendMetaError };

export interface GraphApiDeps {
  simulator: WhatsAppSimulator;
  /** The version an unversioned path is served with, as Graph serves it with the app's default version. */
  defaultVersion: string;
  media: MediaStore;
  numbers: NumberDirectory;
  /** Every WABA's message templates (`/{waba-id}/message_templates`). */
  templates: MessageTemplates;
  /** Template header samples (`/{app-id}/uploads`, `/upload:<session>`) and the app they belong to. */
  uploads: ResumableUploads;
  appId: string;
  /** The base of media URLs; default: the base the client called. */
  publicUrl?: () => string;
  /** Which versions are live depends on the day (packages/shared/src/graph-api-versions.ts). */
  now?: () => Date;
}

type VersionedRequest = FastifyRequest<{ Params: { version?: string } }>;

/**
 * Meta's Graph API paths, with or without a version (`/v25.0/{id}/messages` and `/{id}/messages`):
 * `/{phone-number-id}/messages` for every configured number (each with its own token), the media endpoints
 * (`./graph-media.ts`) and every WABA's `/{waba-id}/message_templates` (`./graph-templates.ts`), the Resumable Upload API (`./graph-uploads.ts`). As at Graph, a live version is served
 * as itself, an expired one as the oldest live version (Meta's versioning guide), and a segment in the
 * version's place that is no version Meta released is an unknown path; `facebook-api-version` says which.
 */
export function graphApiRoutes(deps: GraphApiDeps): FastifyPluginAsync {
  const now = deps.now ?? (() => new Date());
  const versionOf = (request: VersionedRequest) =>
    servedGraphApiVersion(request.params.version ?? deps.defaultVersion, now());
  /** The version the call is served with, on the reply's header; undefined after answering an unknown path. */
  const serve = (request: VersionedRequest, reply: FastifyReply) => {
    const version = versionOf(request);
    if (version === undefined) sendMetaError(reply, metaErrors.unknownPath(request.url));
    else reply.header('facebook-api-version', version);
    return version;
  };

  return async (app) => {
    const send = async (
      request: FastifyRequest<{ Params: { version?: string; phoneNumberId: string } }>,
      reply: FastifyReply,
    ) => {
      const version = serve(request, reply);
      if (version === undefined) return reply;
      const delay = deps.simulator.faults.responseDelayMs;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const outcome = deps.simulator.send(
        request.params.phoneNumberId,
        request.headers.authorization,
        request.body,
      );
      if (!outcome.ok) {
        request.log.info({ code: outcome.error.code, version }, 'send refused');
        return sendMetaError(reply, outcome.error);
      }
      return reply.code(200).send(outcome.body);
    };
    app.post('/:version/:phoneNumberId/messages', send);
    app.post('/:phoneNumberId/messages', send);

    registerGraphMediaRoutes(app, {
      media: deps.media,
      numbers: deps.numbers,
      serve,
      ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
    });
    registerGraphTemplateRoutes(app, { templates: deps.templates, numbers: deps.numbers, serve });
    await app.register(
      graphUploadRoutes({ uploads: deps.uploads, numbers: deps.numbers, appId: deps.appId, serve }),
    );
  };
}
