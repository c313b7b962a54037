import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { errorEnvelope, type MetaError, metaErrors } from '../domain/meta-errors.js';
import type { WhatsAppSimulator } from '../whatsapp-simulator.js';

export interface GraphApiDeps {
  simulator: WhatsAppSimulator;
  accessTokens: readonly string[];
  publicUrl: () => string;
}

function sendMetaError(reply: FastifyReply, error: MetaError): FastifyReply {
  return reply.code(error.httpStatus).send(errorEnvelope(error));
}

/** Meta's Graph API paths: `/{version}/{phone-number-id}/messages`, `/{version}/{media-id}`, media download. */
export function graphApiRoutes(deps: GraphApiDeps): FastifyPluginAsync {
  const authorized = (header: string | undefined) => {
    const token = header?.match(/^Bearer\s+(.+)$/i)?.[1];
    return token !== undefined && deps.accessTokens.includes(token);
  };
  return async (app) => {
    app.post<{ Params: { version: string; phoneNumberId: string } }>(
      '/:version/:phoneNumberId/messages',
      async (request, reply) => {
        const delay = deps.simulator.faults.responseDelayMs;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        const outcome = deps.simulator.send(
          request.params.phoneNumberId,
          request.headers.authorization,
          request.body,
        );
        if (!outcome.ok) {
          request.log.info({ code: outcome.error.code }, 'send refused');
          return sendMetaError(reply, outcome.error);
        }
        return reply.code(200).send(outcome.body);
      },
    );

    app.get<{ Params: { version: string; mediaId: string } }>(
      '/:version/:mediaId',
      async (request, reply) => {
        if (!authorized(request.headers.authorization))
          return sendMetaError(reply, metaErrors.invalidToken());
        const media = deps.simulator.media.get(request.params.mediaId);
        if (!media) return sendMetaError(reply, metaErrors.mediaNotFound());
        return {
          messaging_product: 'whatsapp',
          url: `${deps.publicUrl()}/media-download/${request.params.mediaId}`,
          mime_type: media.mimeType,
          sha256: media.sha256,
          file_size: String(media.bytes.length),
          id: request.params.mediaId,
        };
      },
    );

    // Like Meta's lookaside URLs, the download needs the bearer token too.
    app.get<{ Params: { mediaId: string } }>('/media-download/:mediaId', async (request, reply) => {
      if (!authorized(request.headers.authorization)) return reply.code(401).send();
      const media = deps.simulator.media.get(request.params.mediaId);
      if (!media) return reply.code(404).send();
      return reply.type(media.mimeType).send(media.bytes);
    });
  };
}
