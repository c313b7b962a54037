import type { FastifyReply } from 'fastify';
import { errorEnvelope, type MetaError } from '../domain/meta-errors.js';

/** Answers with Meta's error envelope and the HTTP status Meta gives it. */
export function sendMetaError(reply: FastifyReply, error: MetaError): FastifyReply {
  return reply.code(error.httpStatus).send(errorEnvelope(error));
}
