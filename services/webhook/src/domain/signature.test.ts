import { describe, expect, it } from 'vitest';
import { fixtureNames, loadFixture, sign, testAppSecret } from '../../test/support/meta-fixtures.js';
import { assertMetaSignature } from './signature.js';

function codeOf(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('assertMetaSignature', () => {
  it.each(fixtureNames)('accepts the precomputed signature of %s', (name) => {
    const fixture = loadFixture(name);
    expect(
      codeOf(() => assertMetaSignature(fixture.body, fixture.signature, [testAppSecret])),
    ).toBeUndefined();
  });

  it('fails on the re-serialised unicode body, which is why it checks the raw bytes', () => {
    const fixture = loadFixture('inbound-text-unicode.json');
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(fixture.body.toString('utf8'))));
    expect(codeOf(() => assertMetaSignature(reserialised, fixture.signature, [testAppSecret]))).toBe(
      'invalid_signature',
    );
  });

  it('accepts a body signed with any of the configured secrets (rotation)', () => {
    const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
    const secrets = ['old-secret', 'new-secret'];
    expect(codeOf(() => assertMetaSignature(body, sign(body, 'new-secret'), secrets))).toBeUndefined();
    expect(codeOf(() => assertMetaSignature(body, sign(body, 'old-secret'), secrets))).toBeUndefined();
    expect(codeOf(() => assertMetaSignature(body, sign(body, 'other'), secrets))).toBe('invalid_signature');
  });

  it('tells a missing header from a malformed or wrong one', () => {
    const fixture = loadFixture('inbound-text.json');
    expect(codeOf(() => assertMetaSignature(fixture.body, undefined, [testAppSecret]))).toBe(
      'missing_signature',
    );
    expect(codeOf(() => assertMetaSignature(fixture.body, '', [testAppSecret]))).toBe('missing_signature');
    expect(codeOf(() => assertMetaSignature(fixture.body, 'sha1=abc', [testAppSecret]))).toBe(
      'invalid_signature',
    );
    const flipped = fixture.signature.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expect(codeOf(() => assertMetaSignature(fixture.body, flipped, [testAppSecret]))).toBe(
      'invalid_signature',
    );
  });

  it('rejects a body changed by one byte', () => {
    const fixture = loadFixture('inbound-text.json');
    const changed = Buffer.from(fixture.body.toString('utf8').replace('48213', '48214'));
    expect(codeOf(() => assertMetaSignature(changed, fixture.signature, [testAppSecret]))).toBe(
      'invalid_signature',
    );
  });
});
