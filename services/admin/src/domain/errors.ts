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
  | 'change_not_published';

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
