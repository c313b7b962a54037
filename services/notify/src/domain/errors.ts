import { DomainError } from '@wa-broker/shared/errors';

export type NotifyErrorCode =
  | 'notification_not_found'
  | 'idempotency_conflict'
  | 'conversation_not_found'
  | 'invalid_template';

export class NotifyError extends DomainError<NotifyErrorCode> {}

export const notFound = (id: string) => new NotifyError('notification_not_found', `no notification ${id}`);

export const conversationNotFound = (user: string) =>
  new NotifyError('conversation_not_found', `no conversation with ${user}`);

/** The template Meta would refuse (unknown, not approved, paused, wrong parameters): nothing is queued. */
export const invalidTemplate = (fields: { field: string; message: string }[]) =>
  new NotifyError(
    'invalid_template',
    `the template would be refused: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`,
    { fields },
  );
