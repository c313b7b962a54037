import { DomainError } from '@wa-broker/shared/errors';

/** Every expected failure of the webhook; app.ts maps each code to an HTTP status in one place. */
export type WebhookErrorCode =
  | 'verification_failed'
  | 'missing_signature'
  | 'invalid_signature'
  | 'malformed_json'
  | 'not_whatsapp_payload'
  | 'kafka_unavailable';

export class WebhookError extends DomainError<WebhookErrorCode> {}
