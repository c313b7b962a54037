import { DomainError } from '@wa-broker/shared/errors';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { NotifyErrorCode } from '../domain/errors.js';

/** The only place notify's error codes become HTTP statuses. */
const statusByCode: Record<NotifyErrorCode | 'unauthorized', number> = {
  unauthorized: 401,
  notification_not_found: 404,
  conversation_not_found: 404,
  idempotency_conflict: 409,
  invalid_template: 400,
};

type Field = { field: string; message: string };

function validationFields(err: FastifyError): Field[] {
  return (err.validation ?? []).flatMap((issue) => {
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const unknownKeys = issue.keyword === 'unrecognized_keys' ? (issue.params.keys as string[]) : undefined;
    if (unknownKeys)
      return unknownKeys.map((key) => ({ field: path ? `${path}.${key}` : key, message: 'is not allowed' }));
    return [{ field: path || (err.validationContext ?? 'body'), message: issue.message ?? 'is invalid' }];
  });
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler<FastifyError | DomainError>((err, request, reply) => {
    if (err instanceof DomainError) {
      const status = statusByCode[err.code as keyof typeof statusByCode];
      const fields = err.details?.fields as Field[] | undefined;
      if (status)
        return reply
          .code(status)
          .send({ error: err.code, message: err.message, ...(fields ? { fields } : {}) });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields = validationFields(err);
      const message = `invalid ${err.validationContext ?? 'request'}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`;
      return reply.code(400).send({ error: 'invalid_request', message, fields });
    }
    const status = 'statusCode' in err ? (err.statusCode ?? 500) : 500;
    if (status >= 400 && status < 500)
      return reply.code(status).send({ error: 'invalid_request', message: err.message });
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: 'internal', message: 'internal error' });
  });
}
