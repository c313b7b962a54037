import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '@wa-broker/infra/stack-settings';

/** Meta's webhook bodies from the shared fixtures, as exact bytes, with their precomputed signatures. */
export const fixturesDir = resolve(repoRoot, '../shared/fixtures/meta');

interface SignatureFile {
  app_secret: string;
  signatures: Record<string, string>;
}

const signatureFile = JSON.parse(
  readFileSync(resolve(fixturesDir, 'signatures.json'), 'utf8'),
) as SignatureFile;

export const testAppSecret = signatureFile.app_secret;
export const fixtureNames = Object.keys(signatureFile.signatures);

export interface Fixture {
  name: string;
  body: Buffer;
  signature: string;
}

export function loadFixture(name: string): Fixture {
  const signature = signatureFile.signatures[name];
  if (!signature) throw new Error(`no signature for fixture ${name}`);
  return { name, body: readFileSync(resolve(fixturesDir, name)), signature };
}

export function sign(body: Buffer | string, secret = testAppSecret): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
