import { WebhookError } from './errors.js';
import { asObject, type JsonObject } from './meta-values.js';

export interface Delivery {
  object: 'whatsapp_business_account';
  entry: unknown[];
}

/** Parses a verified POST body; throws `malformed_json` or `not_whatsapp_payload` (both answered with 400). */
export function parseDelivery(body: Buffer): Delivery {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new WebhookError('malformed_json', 'the body is not valid JSON');
  }
  const payload: JsonObject | undefined = asObject(parsed);
  if (payload?.object !== 'whatsapp_business_account' || !Array.isArray(payload.entry))
    throw new WebhookError(
      'not_whatsapp_payload',
      'expected object "whatsapp_business_account" with an entry array',
    );
  return { object: 'whatsapp_business_account', entry: payload.entry };
}
