import type { ServerFrame } from '@wa-broker/shared/operator-protocol';

export interface Failure {
  message: string;
  issues?: { path: string; message: string }[];
}

/** The one place that turns a failed request (error frame or dropped connection) into words for the operator. */
export function describeFailure(failure: ServerFrame | Error): Failure {
  if (failure instanceof Error)
    return { message: `Not sent: ${failure.message} It will not be retried automatically.` };
  if (failure.type !== 'error') return { message: 'The server answered unexpectedly.' };
  switch (failure.code) {
    case 'window_closed':
      return { message: failure.message };
    case 'invalid_frame':
      return { message: 'The message does not meet WhatsApp’s limits.', issues: failure.issues };
    case 'not_found':
      return { message: 'This conversation no longer exists on the server.' };
    case 'queue_failed':
      return { message: failure.message };
    default:
      return { message: failure.message || 'Something went wrong on the server.' };
  }
}
