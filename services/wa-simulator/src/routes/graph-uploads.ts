import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { NumberDirectory } from '../domain/business-numbers.js';
import { metaErrors } from '../domain/meta-errors.js';
import type { ResumableUploads } from '../resumable-uploads.js';
import { uploadPartLimit } from './graph-media.js';
import { sendMetaError } from './meta-reply.js';

export interface GraphUploadDeps {
  uploads: ResumableUploads;
  numbers: NumberDirectory;
  /** `SIM_APP_ID`: the one app whose `/{app-id}/uploads` edge exists. */
  appId: string;
  /** Answers with the version served (and sets its header), or answers an unknown version and gives undefined. */
  serve: (
    request: FastifyRequest<{ Params: { version?: string } }>,
    reply: FastifyReply,
  ) => string | undefined;
}

type OpenRequest = FastifyRequest<{
  Params: { version?: string; appId: string };
  Querystring: Record<string, string | undefined>;
}>;
type UploadRequest = FastifyRequest<{ Params: { version?: string; target: string }; Body: unknown }>;

/**
 * Meta's Resumable Upload API, the way template header samples reach Meta: `POST /{app-id}/uploads?file_name=
 * &file_length=&file_type=` with the bearer token → `{id: "upload:<session>"}`, then `POST /upload:<session>`
 * with `Authorization: OAuth <token>`, `file_offset: 0` and the raw bytes → `{h: "<handle>"}`. Any token a
 * number accepts opens the app's edge (Meta's app and system user are one here); else Graph's 190.
 */
export function graphUploadRoutes(deps: GraphUploadDeps): FastifyPluginAsync {
  return async (app) => {
    // The body is the file, whatever its Content-Type says (curl's --data-binary sends a form type).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: uploadPartLimit }, (_request, body, done) =>
      done(null, body),
    );

    const open = async (request: OpenRequest, reply: FastifyReply) => {
      if (deps.serve(request, reply) === undefined) return reply;
      if (!deps.numbers.knowsToken(request.headers.authorization))
        return sendMetaError(reply, metaErrors.invalidToken());
      if (request.params.appId !== deps.appId)
        return sendMetaError(reply, metaErrors.unknownObject(request.params.appId, 'post'));
      const opened = deps.uploads.open(request.query);
      if (!opened.ok) return sendMetaError(reply, opened.error);
      return reply.code(200).send({ id: opened.value });
    };
    app.post('/:version/:appId/uploads', open);
    app.post('/:appId/uploads', open);

    const upload = async (request: UploadRequest, reply: FastifyReply) => {
      if (deps.serve(request, reply) === undefined) return reply;
      const { target } = request.params;
      if (!target.startsWith('upload:'))
        return sendMetaError(reply, metaErrors.unknownPath(request.url.split('?')[0] ?? request.url));
      // Meta's second call names its token `OAuth`, not `Bearer`.
      const oauth = request.headers.authorization?.match(/^OAuth\s+(.+)$/i)?.[1];
      if (!oauth || !deps.numbers.knowsToken(`Bearer ${oauth}`))
        return sendMetaError(reply, metaErrors.invalidToken());
      const offset = request.headers.file_offset;
      const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const finished = deps.uploads.finish(
        target.slice('upload:'.length),
        typeof offset === 'string' ? offset.trim() : undefined,
        bytes,
      );
      if (!finished.ok) {
        request.log.info({ details: finished.error.details }, 'resumable upload refused');
        return sendMetaError(reply, finished.error);
      }
      return reply.code(200).send({ h: finished.value });
    };
    app.post('/:version/:target', upload);
    app.post('/:target', upload);
  };
}
