import { DomainError } from '@wa-broker/shared/errors';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { AdminErrorCode, FieldProblem } from '../domain/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `v1`: errors keep the original broker's `{internal_code, message}` body. */
    errorShape?: 'v1';
  }
}

export type HttpErrorCode = AdminErrorCode | 'unauthorized' | 'invalid_request' | 'rate_limited' | 'internal';

/** The only place admin error codes become HTTP statuses. */
const statusByCode: Record<AdminErrorCode | 'unauthorized', number> = {
  invalid_agent: 400,
  invalid_number: 400,
  invalid_request: 400,
  unauthorized: 401,
  agent_not_found: 404,
  number_not_found: 404,
  agent_exists: 409,
  topic_in_use: 409,
  kafka_access_unmanaged: 409,
  number_exists: 409,
  waba_not_found: 404,
  template_not_found: 404,
  // Meta's rules checked before submitting, and Meta's own refusal: the definition must change.
  invalid_template: 422,
  template_refused: 422,
  graph_rate_limited: 429,
  graph_unavailable: 502,
  // The change is committed; 503 tells the caller the router has not heard of it yet (a resync follows).
  change_not_published: 503,
};

interface ErrorBody {
  code: HttpErrorCode;
  message: string;
  fields?: FieldProblem[] | undefined;
  details?: Record<string, unknown> | undefined;
}

function classify(err: FastifyError | DomainError): { status: number; body: ErrorBody } {
  if (err instanceof DomainError) {
    const status = statusByCode[err.code as keyof typeof statusByCode];
    if (status) {
      const { fields, ...details } = err.details ?? {};
      const body = { code: err.code as HttpErrorCode, message: err.message };
      return {
        status,
        body: { ...body, fields: fields as FieldProblem[] | undefined, details: details },
      };
    }
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const fields = err.validation.flatMap((issue) => {
      const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
      // An unknown key is reported on its parent; name the key itself, it is what the caller must remove.
      const unknownKeys = issue.keyword === 'unrecognized_keys' ? (issue.params.keys as string[]) : undefined;
      if (unknownKeys)
        return unknownKeys.map((key) => ({
          field: path ? `${path}.${key}` : key,
          message: 'is not allowed',
        }));
      return [{ field: path || (err.validationContext ?? 'body'), message: issue.message ?? 'is invalid' }];
    });
    const message = `invalid ${err.validationContext ?? 'request'}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`;
    return { status: 400, body: { code: 'invalid_request', message, fields } };
  }
  const status = 'statusCode' in err ? (err.statusCode ?? 500) : 500;
  if (status === 429) return { status, body: { code: 'rate_limited', message: err.message } };
  // Fastify's own client errors: malformed JSON, empty body, wrong content type, body too large.
  if (status >= 400 && status < 500)
    return { status, body: { code: 'invalid_request', message: err.message } };
  return { status: 500, body: { code: 'internal', message: 'internal error' } };
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler<FastifyError | DomainError>((err, request, reply) => {
    const { status, body } = classify(err);
    // change_not_published was logged where it happened, with the Kafka error as cause.
    if (status >= 500 && body.code !== 'change_not_published') request.log.error({ err }, 'unhandled error');
    if (request.routeOptions.config?.errorShape === 'v1')
      return reply.code(status).send({ internal_code: body.code, message: body.message });
    const extra = body.details && Object.keys(body.details).length > 0 ? body.details : undefined;
    return reply.code(status).send({
      error: body.code,
      message: body.message,
      ...(body.fields ? { fields: body.fields } : {}),
      ...(extra ? { details: extra } : {}),
    });
  });
}
