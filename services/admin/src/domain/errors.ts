import { DomainError } from '@wa-broker/shared/errors';

/** Every failure the admin domain reports; app.ts maps each to one HTTP status. */
export type AdminErrorCode =
  | 'invalid_agent'
  | 'agent_not_found'
  | 'agent_exists'
  | 'topic_in_use'
  | 'invalid_number'
  | 'number_not_found'
  | 'number_exists'
  | 'change_not_published'
  /** Rotating a Kafka credential on an admin that does not manage them (AGENT_KAFKA_ACCESS=false): 409. */
  | 'kafka_access_unmanaged'
  | 'invalid_template'
  | 'waba_not_found'
  | 'template_not_found'
  | 'template_refused'
  | 'graph_rate_limited'
  | 'graph_unavailable'
  /** A query the schema let through but the domain refuses (e.g. a cost report's dates): 400 by field. */
  | 'invalid_request';

export interface FieldProblem {
  field: string;
  message: string;
}

export const invalidAgent = (problems: FieldProblem[]) =>
  new DomainError<AdminErrorCode>(
    'invalid_agent',
    problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    {
      fields: problems,
    },
  );

export const agentNotFound = (id: number | string) =>
  new DomainError<AdminErrorCode>('agent_not_found', `agent not found: ${id}`);

export const invalidNumber = (problems: FieldProblem[], details: Record<string, unknown> = {}) =>
  new DomainError<AdminErrorCode>(
    'invalid_number',
    problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    { ...details, fields: problems },
  );

export const numberNotFound = (phoneNumberId: string) =>
  new DomainError<AdminErrorCode>('number_not_found', `number not found: ${phoneNumberId}`);

export const numberExists = (phoneNumberId: string) =>
  new DomainError<AdminErrorCode>('number_exists', `a number with phone_number_id ${phoneNumberId} exists`, {
    phone_number_id: phoneNumberId,
  });

export const invalidTemplate = (problems: FieldProblem[]) =>
  new DomainError<AdminErrorCode>(
    'invalid_template',
    `Meta would refuse this template: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
    { fields: problems },
  );

export const wabaNotFound = (wabaId: string) =>
  new DomainError<AdminErrorCode>(
    'waba_not_found',
    `no active business number of WABA ${wabaId}: register one (POST /api/v2/numbers) to manage its templates`,
    { waba_id: wabaId },
  );

export const templateNotFound = (wabaId: string, name: string, language?: string) =>
  new DomainError<AdminErrorCode>(
    'template_not_found',
    `template not found: ${name}${language ? ` (${language})` : ''} in WABA ${wabaId}`,
    { waba_id: wabaId, name, ...(language ? { language } : {}) },
  );

export const invalidCostQuery = (problems: FieldProblem[]) =>
  new DomainError<AdminErrorCode>(
    'invalid_request',
    `invalid querystring: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
    { fields: problems },
  );
