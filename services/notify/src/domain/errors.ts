import { DomainError } from '@wa-broker/shared/errors';

export type NotifyErrorCode = 'notification_not_found' | 'idempotency_conflict' | 'conversation_not_found';

export class NotifyError extends DomainError<NotifyErrorCode> {}

export const notFound = (id: string) => new NotifyError('notification_not_found', `no notification ${id}`);

export const conversationNotFound = (user: string) =>
  new NotifyError('conversation_not_found', `no conversation with ${user}`);
