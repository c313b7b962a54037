import type { ServerFrame } from '@wa-broker/shared/operator-protocol';
import type { UploadFailure, UploadProblem } from '../../../lib/media-upload.js';

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
    case 'invalid_message':
      // A template WhatsApp would refuse (unknown, paused, a value missing): by field of the reply.
      return { message: failure.message, issues: failure.issues };
    case 'not_found':
      return { message: 'This conversation no longer exists on the server.' };
    case 'queue_failed':
      return { message: failure.message };
    case 'already_assigned':
      return { message: 'A colleague claimed this conversation first.' };
    case 'forbidden':
      return { message: `Not allowed: ${failure.message}` };
    case 'invalid_operator':
      return { message: 'That colleague cannot take conversations (unknown or disabled).' };
    case 'conflict':
      return { message: failure.message || 'Someone changed it meanwhile; try again.' };
    default:
      return { message: failure.message || 'Something went wrong on the server.' };
  }
}

/** An upload's refusal in words, by field where the server named one (`POST /api/media`). */
export function describeUploadFailure(failure: UploadFailure): {
  message: string;
  problems: UploadProblem[];
} {
  if (failure.kind === 'cancelled') return { message: 'Upload cancelled.', problems: [] };
  if (failure.kind === 'network')
    return {
      message: 'The upload did not reach the server: check the connection and try again.',
      problems: [],
    };
  const { status, message, problems = [] } = failure;
  if (status === 400) return { message: message ?? 'WhatsApp does not accept this file.', problems };
  if (status === 401) return { message: 'The server refused your operator token: sign in again.', problems };
  if (status === 413)
    return {
      message: 'The file is larger than this inbox accepts.',
      problems: [{ field: 'size', message: 'the file is larger than this inbox accepts' }],
    };
  if (status === 422)
    return { message: `WhatsApp refused the file: ${message ?? 'no reason given'}.`, problems };
  if (status === 503 || status === 502)
    return {
      message: `Files cannot be sent right now (${message ?? 'the media service does not answer'}). Try again later.`,
      problems,
    };
  return { message: message ?? `The upload failed (HTTP ${status}).`, problems };
}
