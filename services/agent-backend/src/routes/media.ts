import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Identify } from '../auth/identify.js';

export interface MediaProxySettings {
  /** The media service's base URL (MEDIA_URL). */
  baseUrl: string;
  /** This agent's media credential (MEDIA_TOKEN). */
  token: string;
  /** The signed-in operator of an upload (session cookie, or the development token). */
  identify: Identify;
  maxUploadBytes: number;
}

/** Response headers worth passing on to the browser. */
const passedHeaders = [
  'content-type',
  'content-length',
  'content-range',
  'accept-ranges',
  'content-disposition',
  'cache-control',
  'etag',
  'x-content-type-options',
  'x-media-sha256',
];

/**
 * The operator UI's files, same-origin (Vite and nginx already proxy `/api`): `GET /api/media/:number/:id`
 * passes a signed link (media-links.ts) on to the media service, which checks it, with the browser's Range;
 * `POST /api/media` streams an operator's upload to the media service with this agent's credential.
 */
export function mediaProxyRoutes(settings: MediaProxySettings): FastifyPluginAsync {
  const base = settings.baseUrl.replace(/\/$/, '');
  return async (app) => {
    // The upload is streamed through untouched, whatever its type.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    const download = async (
      request: FastifyRequest<{ Params: { number: string; id: string } }>,
      reply: FastifyReply,
    ) => {
      const { number, id } = request.params;
      const query = new URL(request.url, 'http://localhost').search;
      const range = request.headers.range;
      const upstream = await fetch(
        `${base}/v1/media/${encodeURIComponent(number)}/${encodeURIComponent(id)}${query}`,
        {
          method: request.method,
          headers: typeof range === 'string' ? { range } : {},
        },
      ).catch(() => null);
      if (!upstream)
        return reply
          .code(502)
          .send({ error: 'media_unreachable', message: 'the media service does not answer' });
      return relay(upstream, reply);
    };
    // A signed link's query is a credential for a while: Fastify's request lines (with the URL) stay below info.
    app.get('/api/media/:number/:id', { logLevel: 'warn' }, download);

    app.post('/api/media', { bodyLimit: settings.maxUploadBytes }, async (request, reply) => {
      if (!(await settings.identify({ headers: request.headers })))
        return reply.code(401).send({ error: 'unauthorized' });
      const query = new URL(request.url, 'http://localhost').search;
      const upstream = await fetch(`${base}/v1/media${query}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${settings.token}`,
          'content-type': request.headers['content-type'] ?? 'application/octet-stream',
          ...(request.headers['content-length']
            ? { 'content-length': request.headers['content-length'] }
            : {}),
        },
        body: Readable.toWeb(request.body as Readable) as ReadableStream,
        duplex: 'half',
      } as RequestInit).catch(() => null);
      if (!upstream)
        return reply
          .code(502)
          .send({ error: 'media_unreachable', message: 'the media service does not answer' });
      return relay(upstream, reply);
    });
  };
}

function relay(upstream: Response, reply: FastifyReply) {
  reply.code(upstream.status);
  for (const name of passedHeaders) {
    const value = upstream.headers.get(name);
    if (value !== null) reply.header(name, value);
  }
  if (!upstream.body) return reply.send();
  return reply.send(Readable.fromWeb(upstream.body as WebReadableStream));
}
