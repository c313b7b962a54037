import { createHmac, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';

// The two yardsticks, measured on the same machine in the same run:
//   POST /noop       a do-nothing Fastify route (the ceiling for any Fastify handler here)
//   POST /signature  raw body + HMAC-SHA256 check + JSON.parse, no Kafka (the ceiling for a signed webhook)
const secret = process.env.BENCH_SECRET ?? '';
const port = Number(process.env.PORT ?? 0);

const app = Fastify({ logger: false });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 6 * 1024 * 1024 }, (_req, body, done) =>
  done(null, body),
);
app.post('/noop', async () => ({ status: 'ok' }));
app.post<{ Body: Buffer }>('/signature', async (req, reply) => {
  const header = String(req.headers['x-hub-signature-256'] ?? '');
  const expected = Buffer.from(header.slice('sha256='.length), 'hex');
  const actual = createHmac('sha256', secret).update(req.body).digest();
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return reply.code(401).send();
  const parsed = JSON.parse(req.body.toString('utf8')) as { entry?: unknown[] };
  return { status: 'ok', entries: parsed.entry?.length ?? 0 };
});

await app.listen({ host: '127.0.0.1', port });
console.warn(`reference server listening on ${port}`);
