import { describe, expect, it } from 'vitest';
import { parseDelivery } from './parse-delivery.js';

describe('parseDelivery', () => {
  it.each([
    ['not JSON', '{"object":', 'malformed_json'],
    ['an empty body', '', 'malformed_json'],
    ['another object', '{"object":"page","entry":[]}', 'not_whatsapp_payload'],
    ['no entry array', '{"object":"whatsapp_business_account"}', 'not_whatsapp_payload'],
    ['a JSON array', '[]', 'not_whatsapp_payload'],
  ])('rejects %s', (_label, body, code) => {
    expect(() => parseDelivery(Buffer.from(body))).toThrow(expect.objectContaining({ code }));
  });
});
