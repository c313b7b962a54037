import { createHmac } from 'node:crypto';

/** `X-Hub-Signature-256` as Meta computes it: HMAC-SHA256 of the raw bytes under the app secret. */
export function createSignature(body: string | Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}
