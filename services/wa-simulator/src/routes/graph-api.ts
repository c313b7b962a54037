import { servedGraphApiVersion } from '@wa-broker/shared/graph-api-versions';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { errorEnvelope, type MetaError, metaErrors } from '../domain/meta-errors.js';
import type { WhatsAppSimulator } from '../whatsapp-simulator.js';

export interface GraphApiDeps {
  simulator: WhatsAppSimulator;
  /** The version an unversioned path is served with, as Graph serves it with the app's default version. */
  defaultVersion: string;
  publicUrl: () => string;
  /** Which versions are live depends on the day (packages/shared/src/graph-api-versions.ts). */
  now?: () => Date;
}

export function sendMetaError(reply: FastifyReply, error: MetaError): FastifyReply {
  return reply.code(error.httpStatus).send(errorEnvelope(error));
}

type VersionedRequest = FastifyRequest<{ Params: { version?: string } }>;

/**
 * Meta's Graph API paths, with or without a version (`/v25.0/{id}/messages` and `/{id}/messages`):
 * `/{phone-number-id}/messages` for every configured number (each with its own token), `/{media-id}`, and the
 * media download (with a token of the number the media was sent to). As at Graph, a live version is served
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

    const lookup = async (
      request: FastifyRequest<{ Params: { version?: string; mediaId: string } }>,
      reply: FastifyReply,
    ) => {
      if (serve(request, reply) === undefined) return reply;
      const access = deps.simulator.mediaFor(request.params.mediaId, request.headers.authorization);
      if (!access.ok) return sendMetaError(reply, access.error);
      const { media } = access;
      return {
        messaging_product: 'whatsapp',
        url: `${deps.publicUrl()}/media-download/${request.params.mediaId}`,
        mime_type: media.mimeType,
        sha256: media.sha256,
        file_size: String(media.bytes.length),
        id: request.params.mediaId,
      };
    };
    app.get('/:version/:mediaId', lookup);
    app.get('/:mediaId', lookup);

    // Like Meta's lookaside URLs, the download needs the bearer token too.
    app.get<{ Params: { mediaId: string } }>('/media-download/:mediaId', async (request, reply) => {
      const access = deps.simulator.mediaFor(request.params.mediaId, request.headers.authorization);
      if (!access.ok) return reply.code(access.error.httpStatus === 404 ? 404 : 401).send();
      return reply.type(access.media.mimeType).send(access.media.bytes);
    });
  };
}
