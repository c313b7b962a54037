import { DomainError } from '@wa-broker/shared/errors';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { RequestOutcome, WebhookMetrics } from '../adapters/metrics.js';
import type { WebhookErrorCode } from '../domain/errors.js';

/** The only place webhook error codes become HTTP statuses. */
const statusByCode: Record<WebhookErrorCode, number> = {
  verification_failed: 403,
  missing_signature: 401,
  invalid_signature: 401,
  malformed_json: 400,
  not_whatsapp_payload: 400,
  kafka_unavailable: 503,
};

const outcomeByStatus: Record<number, RequestOutcome> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  413: 'too_large',
  503: 'unavailable',
};

export function installErrorHandler(app: FastifyInstance, metrics: WebhookMetrics): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err instanceof DomainError ? statusByCode[err.code as WebhookErrorCode] : undefined;
    if (status) {
      if (status === 503)
        req.log.warn({ reqId: req.id, code: err.code }, 'delivery not acknowledged by kafka');
      // 403 says nothing more: the GET handshake must not echo the challenge or the token.
      return reply
        .code(status)
        .send({ error: err.code, message: status === 403 ? 'forbidden' : err.message });
    }
    if (err.statusCode === 413)
      return reply.code(413).send({ error: 'payload_too_large', message: err.message });
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
      return reply.code(err.statusCode).send({ error: 'invalid_request', message: err.message });
    req.log.error({ reqId: req.id, err }, 'unhandled error');
    return reply.code(500).send({ error: 'internal' }); // a 5xx never echoes internals
  });
  app.addHook('onResponse', async (req, reply) => {
    if (req.routeOptions.url !== '/webhook') return;
    const status = reply.statusCode;
    if (status === 200) metrics.countRequest(req.method === 'GET' ? 'verified' : 'accepted');
    else metrics.countRequest(outcomeByStatus[status] ?? 'error');
  });
}
