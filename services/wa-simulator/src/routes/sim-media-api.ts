import { mediaTypeForMime } from '@wa-broker/shared/meta-media-rules';
import { type MetaMediaType, metaMediaTypes } from '@wa-broker/shared/meta-media-types';
import type { FastifyPluginAsync } from 'fastify';
import type { NumberDirectory } from '../domain/business-numbers.js';
import { mimeOfBytes } from '../domain/media-sniff.js';
import type { MediaStore } from '../media-store.js';
import { isMediaType } from '../outbound-media.js';
import { sampleFile } from '../sample-media.js';
import type { SimulatedUsers, UserFile } from '../simulated-users.js';
import { address } from './sim-api-schemas.js';

/** What a simulated user's file message says besides its bytes (JSON fields, or the raw route's query). */
export interface FileDescription {
  type?: MetaMediaType;
  mimeType?: string;
  caption?: string;
  filename?: string;
  voice?: boolean;
  animated?: boolean;
  tooLarge?: boolean;
}

/** The type a user's file goes as: Meta's by MIME type (webp → sticker), else by family, else a document. */
export function inboundTypeForMime(mimeType: string): MetaMediaType {
  const family = mimeType.split('/')[0];
  return (
    mediaTypeForMime(mimeType) ??
    (family === 'image' || family === 'video' || family === 'audio' ? family : 'document')
  );
}

/**
 * The file a user sends: the given bytes (and their real size, when only part was kept), or without bytes the
 * sample of the type (a voice note for audio). Captions go with images, videos and documents only, as at Meta.
 */
export function userFile(
  bytes: Buffer | undefined,
  description: FileDescription,
  size = bytes?.length,
): { ok: true; file: UserFile } | { ok: false; error: Record<string, unknown> } {
  const sample = bytes ? undefined : sampleFile(description.type ?? 'image');
  const mimeType =
    description.mimeType ?? sample?.mimeType ?? (bytes && mimeOfBytes(bytes)) ?? 'application/octet-stream';
  const type = description.type ?? inboundTypeForMime(mimeType);
  if (description.caption && !['image', 'video', 'document'].includes(type))
    return { ok: false, error: { error: 'invalid_request', message: `a ${type} has no caption` } };
  const data = bytes ?? sample?.bytes ?? Buffer.alloc(0);
  const filename = description.filename ?? (type === 'document' ? sample?.filename : undefined);
  return {
    ok: true,
    file: {
      mediaType: type,
      bytes: data,
      size: size ?? data.length,
      mimeType,
      ...(filename ? { filename } : {}),
      ...(description.caption ? { caption: description.caption } : {}),
      ...(description.voice !== undefined
        ? { voice: description.voice }
        : sample && type === 'audio'
          ? { voice: true }
          : {}),
      ...(description.animated !== undefined ? { animated: description.animated } : {}),
      ...(description.tooLarge ? { tooLarge: true } : {}),
    },
  };
}

export interface SimMediaDeps {
  users: SimulatedUsers;
  media: MediaStore;
  numbers: NumberDirectory;
  /** Only the first this many bytes of a raw upload are kept (the rest is counted): Meta's inbound cap + 1. */
  keepBytes: number;
}

interface RawFile {
  bytes: Buffer;
  size: number;
}

type RawQuery = Partial<
  Record<
    'type' | 'caption' | 'filename' | 'voice' | 'animated' | 'too_large' | 'phone_number_id' | 'profile_name',
    string
  >
>;
const flag = (value: string | undefined) =>
  value === undefined ? undefined : value === 'true' || value === '1';

/**
 * `POST /sim/users/:id/media`: the user sends a file as the raw body (its `Content-Type` the file's), the rest
 * in the query; the phone page's attach button uses it. `GET /sim/media/:id`: the phone's own copy of a file
 * (sent or received), no Meta token needed.
 */
export function simMediaRoutes(deps: SimMediaDeps): FastifyPluginAsync {
  return async (app) => {
    // Any body is a file here (JSON too): kept up to `keepBytes`, counted to the end, never refused for size.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, payload, done) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let kept = 0;
      payload.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (kept >= deps.keepBytes) return;
        const part = chunk.subarray(0, deps.keepBytes - kept);
        chunks.push(part);
        kept += part.length;
      });
      payload.on('end', () => done(null, { bytes: Buffer.concat(chunks), size } satisfies RawFile));
      payload.on('error', (error) => done(error));
    });

    app.post<{ Params: { id: string }; Querystring: RawQuery; Body: RawFile | undefined }>(
      '/sim/users/:id/media',
      async (request, reply) => {
        const query = request.query;
        const user = address.safeParse(request.params.id);
        if (!user.success) return reply.code(400).send({ error: 'invalid_request', message: 'bad user id' });
        const body = request.body;
        if (!body || body.size === 0)
          return reply.code(400).send({ error: 'invalid_request', message: 'the body is the file' });
        if (query.type !== undefined && !isMediaType(query.type))
          return reply
            .code(400)
            .send({ error: 'invalid_request', message: `type must be one of ${metaMediaTypes.join(', ')}` });
        const number = query.phone_number_id ? deps.numbers.find(query.phone_number_id) : deps.numbers.first;
        if (!number)
          return reply
            .code(400)
            .send({ error: 'unknown_number', message: `no business number ${query.phone_number_id}` });
        const contentType = request.headers['content-type'];
        const file = userFile(
          body.bytes,
          {
            ...(query.type ? { type: query.type as MetaMediaType } : {}),
            ...(contentType && contentType !== 'application/octet-stream' ? { mimeType: contentType } : {}),
            ...(query.caption ? { caption: query.caption } : {}),
            ...(query.filename ? { filename: query.filename } : {}),
            ...(flag(query.voice) !== undefined ? { voice: flag(query.voice) } : {}),
            ...(flag(query.animated) !== undefined ? { animated: flag(query.animated) } : {}),
            ...(flag(query.too_large) ? { tooLarge: true } : {}),
          },
          body.size,
        );
        if (!file.ok) return reply.code(400).send(file.error);
        return reply
          .code(202)
          .send(deps.users.sendsFile(number, user.data, query.profile_name || undefined, file.file));
      },
    );

    app.get<{ Params: { id: string } }>('/sim/media/:id', async (request, reply) => {
      const media = deps.media.phoneCopy(request.params.id);
      if (!media) return reply.code(404).send({ error: 'unknown_media', message: request.params.id });
      if (media.filename)
        reply.header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(media.filename)}`);
      return reply.type(media.mimeType).send(media.bytes);
    });
  };
}
