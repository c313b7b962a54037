import type { MetaErrorDetail } from '@wa-broker/shared/agent-inbound';

// Meta's titles are written for developers; these are the ones an operator meets and can act on.
const plainWordsByMetaCode: Record<number, string> = {
  131047: 'More than 24 hours have passed since the user last wrote. Send a template instead.',
  131026: 'The message could not be delivered to this number (not on WhatsApp, or an old app version).',
  131051: 'WhatsApp does not support this message type.',
  130429: 'Too many messages are being sent right now. Try again in a moment.',
  131056: 'Too many messages to this user in a short time. Wait a little before sending again.',
  132001: 'The template does not exist or is not approved in this language.',
  132000: 'The template parameters do not match the approved template.',
};

/** One sentence an operator understands for a failed delivery. */
export function describeMetaError(error: MetaErrorDetail | undefined): string {
  if (!error) return 'WhatsApp could not deliver the message.';
  const known = plainWordsByMetaCode[error.code];
  if (known) return known;
  return `WhatsApp could not deliver the message: ${error.message ?? error.details ?? error.title} (${error.code}).`;
}
