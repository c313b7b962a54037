import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NumberDirectory } from '../domain/business-numbers.js';
import { checkMediaFile } from '../domain/media-checks.js';
import { metaErrors } from '../domain/meta-errors.js';
import type { MediaStore } from '../media-store.js';
import { sendMetaError } from './meta-reply.js';

export interface GraphMediaDeps {
  media: MediaStore;
  numbers: NumberDirectory;
  /** The base of the media URLs handed out; default: the base the client called (its `Host`). */
  publicUrl?: () => string;
  /** Answers with the version served (and sets its header), or answers an unknown version and gives undefined. */
  serve: (
    request: FastifyRequest<{ Params: { version?: string } }>,
    reply: FastifyReply,
  ) => string | undefined;
}

/** The largest multipart file part read; anything larger is cut there and refused as too big. */
export const uploadPartLimit = 100 * 1024 * 1024 + 1;

type UploadRequest = FastifyRequest<{ Params: { version?: string; phoneNumberId: string } }>;
type LookupRequest = FastifyRequest<{
  Params: { version?: string; mediaId: string };
  Querystring: { phone_number_id?: string };
}>;

/**
 * Meta's media endpoints (whatsapp-cloud-api.md §8): upload (`POST /{phone-number-id}/media`, multipart), the
 * lookup (`GET /{media-id}`, a URL good for a few minutes) and the download of that URL, all with the number's
 * bearer token; with or without a version, like the other Graph paths.
 */
export function registerGraphMediaRoutes(app: FastifyInstance, deps: GraphMediaDeps): void {
  const baseUrl = (request: FastifyRequest) => deps.publicUrl?.() ?? `${request.protocol}://${request.host}`;

  const upload = async (request: UploadRequest, reply: FastifyReply) => {
    if (deps.serve(request, reply) === undefined) return reply;
    const access = deps.numbers.access(request.params.phoneNumberId, request.headers.authorization);
    if (!access.ok) return sendMetaError(reply, access.error);
    if (!request.isMultipart())
      return sendMetaError(
        reply,
        metaErrors.invalidParameter(
          'Upload the file as multipart/form-data (messaging_product, file, type).',
        ),
      );
    const fields = new Map<string, string>();
    let file: { bytes: Buffer; mimeType: string; filename: string; truncated: boolean } | undefined;
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.fieldname === 'file' && !file)
          file = { bytes, mimeType: part.mimetype, filename: part.filename, truncated: part.file.truncated };
      } else fields.set(part.fieldname, String(part.value));
    }
    if (fields.get('messaging_product') !== 'whatsapp')
      return sendMetaError(
        reply,
        metaErrors.invalidParameter('The parameter messaging_product is required.'),
      );
    if (!file) return sendMetaError(reply, metaErrors.invalidParameter('The parameter file is required.'));
    // `type` names the MIME type; Meta's own example gives it as the file part's type instead (`;type=…`).
    const mimeType = fields.get('type') || file.mimeType;
    const size = file.truncated ? uploadPartLimit : file.bytes.length;
    const checked = checkMediaFile({ mimeType, bytes: file.bytes, size });
    if (!checked.ok) {
      request.log.info({ code: 131053, details: checked.details }, 'upload refused');
      return sendMetaError(reply, metaErrors.mediaUploadError(checked.details));
    }
    const stored = deps.media.add({
      bytes: file.bytes,
      mimeType: checked.mimeType,
      phoneNumberId: access.number.phoneNumberId,
      origin: 'uploaded',
      ...(file.filename ? { filename: file.filename } : {}),
    });
    return reply.code(200).send({ id: stored.id });
  };
  app.post('/:version/:phoneNumberId/media', upload);
  app.post('/:phoneNumberId/media', upload);

  // `phone_number_id` (optional): only media of that number is found.
  const lookup = async (request: LookupRequest, reply: FastifyReply) => {
    if (deps.serve(request, reply) === undefined) return reply;
    const found = deps.media.lookup(
      request.params.mediaId,
      request.headers.authorization,
      request.query.phone_number_id,
    );
    if (!found.ok) return sendMetaError(reply, found.error);
    const { media } = found;
    return {
      messaging_product: 'whatsapp',
      url: deps.media.signedUrl(baseUrl(request), media),
      mime_type: media.mimeType,
      // Hex, as in Meta's example of this answer (webhooks carry base64): §8 item 10.
      sha256: media.digest.toString('hex'),
      file_size: String(media.bytes.length),
      id: media.id,
    };
  };
  app.get('/:version/:mediaId', lookup);
  app.get('/:mediaId', lookup);

  // The URL the lookup gave: the token of the media's number, before the URL's own expiry.
  app.get<{ Params: { mediaId: string }; Querystring: { ext?: string; hash?: string } }>(
    '/media-download/:mediaId',
    async (request, reply) => {
      const download = deps.media.download(
        request.params.mediaId,
        request.query,
        request.headers.authorization,
      );
      if (!download.ok) return reply.code(download.status).send();
      return reply.type(download.media.mimeType).send(download.media.bytes);
    },
  );
}
