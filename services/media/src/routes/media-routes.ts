import { createHash } from 'node:crypto';
import type { Logger } from '@wa-broker/shared/logger';
import { mediaObjectKey, mediaPath, type UploadedMedia } from '@wa-broker/shared/media-access';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock, GraphMedia, MediaStore, NumberTokens } from '../domain/ports.js';
import { RangeNotSatisfiableError } from '../domain/ports.js';
import { readerOf } from '../domain/reader-access.js';
import { planUpload } from '../domain/upload-plan.js';

export interface MediaRoutesDeps {
  store: MediaStore;
  graph: GraphMedia;
  tokens: NumberTokens;
  clock: Clock;
  signingKey: string;
  maxUploadBytes: number;
  waitMaxMs: number;
  onUploaded?: (bytes: number) => void;
  logger: Logger;
}

interface MediaParams {
  phoneNumberId: string;
  mediaId: string;
}
type MediaQuery = { agent?: string; exp?: string; sig?: string; wait?: string };

const idPattern = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * `GET|HEAD /v1/media/:phoneNumberId/:mediaId`: a stored file, to its owning agent only (credential or signed
 * link), with Range for audio and video. `POST /v1/media`: an agent's upload, checked against Meta's table,
 * uploaded to the Graph API and kept, answering the Meta media id to send with (issue 18 §2–3).
 */
export function mediaRoutes(deps: MediaRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    // Every body is the file itself, whatever its type (text/plain documents included).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.maxUploadBytes }, (_req, body, done) =>
      done(null, body),
    );

    const serve = async (
      request: FastifyRequest<{ Params: MediaParams; Querystring: MediaQuery }>,
      reply: FastifyReply,
    ) => {
      const { phoneNumberId, mediaId } = request.params;
      if (!idPattern.test(phoneNumberId) || !idPattern.test(mediaId))
        return problem(reply, 404, 'not_found', 'no such file');
      const path = mediaPath(phoneNumberId, mediaId);
      const reader = readerOf({
        signingKey: deps.signingKey,
        path,
        authorization: request.headers.authorization,
        query: request.query,
        now: deps.clock.now(),
      });
      if (!reader.ok) return problem(reply, reader.status, 'unauthorized', reader.reason);
      const key = mediaObjectKey(phoneNumberId, mediaId);
      const info = await waitForFile(key, Math.min(Number(request.query.wait) || 0, deps.waitMaxMs), deps);
      // Another agent's file answers exactly like a missing one: a credential learns nothing about others.
      if (!info || info.owner !== reader.agent) {
        const failure = info ? null : await deps.store.failure(key);
        if (failure && failure.owner === reader.agent)
          return problem(reply, 410, 'media_unavailable', failure.reason);
        return problem(reply, 404, 'not_found', 'no such file (or not stored yet: retry with ?wait=<ms>)');
      }
      const disposition = `${info.mimeType.startsWith('application/') || info.mimeType === 'text/plain' ? 'attachment' : 'inline'}${
        info.filename ? `; filename*=UTF-8''${encodeURIComponent(info.filename)}` : ''
      }`;
      reply
        .header('accept-ranges', 'bytes')
        .header('cache-control', 'private, max-age=300')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', disposition)
        .header('x-media-sha256', info.sha256);
      if (request.method === 'HEAD') {
        return reply.type(info.mimeType).header('content-length', info.size).code(200).send();
      }
      try {
        const range = request.headers.range;
        const object = await deps.store.get(key, typeof range === 'string' ? range : undefined);
        if (!object) return problem(reply, 404, 'not_found', 'no such file');
        reply.type(info.mimeType).header('content-length', object.contentLength);
        if (object.etag) reply.header('etag', object.etag);
        if (object.range) {
          const { start, end, total } = object.range;
          reply.code(206).header('content-range', `bytes ${start}-${end}/${total}`);
        }
        return reply.send(object.body);
      } catch (error) {
        if (error instanceof RangeNotSatisfiableError) {
          return reply.code(416).header('content-range', `bytes */${error.size}`).send();
        }
        throw error;
      }
    };
    // A signed link's query is a credential for a while: Fastify's request lines (with the URL) stay below info.
    app.get('/v1/media/:phoneNumberId/:mediaId', { logLevel: 'warn' }, serve);

    app.post(
      '/v1/media',
      async (
        request: FastifyRequest<{
          Querystring: { phone_number_id?: string; type?: string; filename?: string; animated?: string };
          Body: Buffer | undefined;
        }>,
        reply,
      ) => {
        const reader = readerOf({
          signingKey: deps.signingKey,
          path: '/v1/media',
          authorization: request.headers.authorization,
          query: {},
          now: deps.clock.now(),
        });
        if (!reader.ok) return problem(reply, 401, 'unauthorized', reader.reason);
        const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const { phone_number_id: requestedNumber, type, filename, animated } = request.query;
        const plan = planUpload({
          mimeType: request.headers['content-type'],
          size: bytes.length,
          ...(type ? { type } : {}),
          ...(filename ? { filename } : {}),
          ...(animated ? { animated: animated === 'true' } : {}),
        });
        if (!plan.ok)
          return reply.code(400).send({
            error: 'invalid_media',
            message: plan.problems.map((p) => p.message).join('; '),
            problems: plan.problems,
          });
        const phoneNumberId = requestedNumber ?? deps.tokens.defaultNumberId;
        const token = deps.tokens.tokenFor(phoneNumberId);
        if (!token) {
          return reply.code(400).send({
            error: 'invalid_media',
            message: `the broker has no Graph token for number ${phoneNumberId}`,
            problems: [{ field: 'phone_number_id', message: 'not a number this broker sends from' }],
          });
        }
        const uploaded = await deps.graph.upload(phoneNumberId, token, {
          bytes,
          mimeType: plan.mimeType,
          filename: plan.filename,
        });
        if (!uploaded.ok) {
          const status = uploaded.kind === 'retry' ? 502 : 422;
          return reply.code(status).send({
            error: 'meta_refused',
            message: uploaded.reason,
            ...(uploaded.metaError ? { meta_error: uploaded.metaError } : {}),
          });
        }
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        const id = uploaded.value.id;
        await deps.store.put(mediaObjectKey(phoneNumberId, id), bytes, {
          owner: reader.agent,
          mimeType: plan.mimeType,
          size: bytes.length,
          sha256,
          filename: plan.filename,
          direction: 'outbound',
        });
        deps.onUploaded?.(bytes.length);
        deps.logger.info(
          {
            agent: reader.agent,
            media_id: id,
            phone_number_id: phoneNumberId,
            bytes: bytes.length,
            type: plan.type,
          },
          'media uploaded',
        );
        const answer: UploadedMedia = {
          id,
          phone_number_id: phoneNumberId,
          type: plan.type,
          mime_type: plan.mimeType,
          size: bytes.length,
          sha256,
          filename: plan.filename,
          path: mediaPath(phoneNumberId, id),
        };
        return reply.code(201).send(answer);
      },
    );
  };
}

function problem(reply: FastifyReply, status: number, error: string, message: string) {
  return reply.code(status).send({ error, message });
}

/** The stored file, waiting up to `waitMs` for one still being downloaded. */
async function waitForFile(key: string, waitMs: number, deps: Pick<MediaRoutesDeps, 'store' | 'clock'>) {
  const deadline = deps.clock.now().getTime() + waitMs;
  for (;;) {
    const info = await deps.store.head(key);
    if (info || deps.clock.now().getTime() >= deadline) return info;
    if (await deps.store.failure(key)) return null;
    await deps.clock.sleep(250);
  }
}
