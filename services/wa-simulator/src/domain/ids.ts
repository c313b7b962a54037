import { randomBytes } from 'node:crypto';

const alphabet = 'ABCDEF0123456789';

function randomId(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}

/** Meta-like wamids: the user's number and a random id, base64 in Meta's binary layout (fixtures/meta/README). */
export function outboundWamid(waId: string): string {
  return `wamid.${Buffer.from(`\u0018\u000b${waId}\u0015\u0002\u0000\u0011\u0018\u0012${randomId(18)}\u0000`).toString('base64')}`;
}

export function inboundWamid(waId: string): string {
  return `wamid.${Buffer.from(`\u0018\u000b${waId}\u0015\u0002\u0000\u0012\u0018\u0014${randomId(20)}\u0000`).toString('base64')}`;
}

export function mediaId(): string {
  return String(1_000_000_000_000_000n + BigInt(`0x${randomBytes(6).toString('hex')}`));
}
