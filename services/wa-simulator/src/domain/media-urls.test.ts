import { describe, expect, it } from 'vitest';
import { MediaUrlSigner } from './media-urls.js';

const signer = new MediaUrlSigner(Buffer.alloc(32, 7));

describe('MediaUrlSigner', () => {
  it('accepts its own URL until the expiry it carries, then calls it expired', () => {
    const { ext, hash } = signer.sign('1003383421387256', 10_000);
    expect(ext).toBe('10000');
    expect(signer.check('1003383421387256', ext, hash, 9_999)).toBe('valid');
    expect(signer.check('1003383421387256', ext, hash, 10_000)).toBe('expired');
  });

  it('refuses an edited expiry, another media id, a missing or foreign hash', () => {
    const { ext, hash } = signer.sign('1003383421387256', 10_000);
    expect(signer.check('1003383421387256', '99999999', hash, 1)).toBe('forged');
    expect(signer.check('1003383421387257', ext, hash, 1)).toBe('forged');
    expect(signer.check('1003383421387256', ext, undefined, 1)).toBe('forged');
    expect(signer.check('1003383421387256', undefined, hash, 1)).toBe('forged');
    expect(signer.check('1003383421387256', '1e9', hash, 1)).toBe('forged');
    const other = new MediaUrlSigner(Buffer.alloc(32, 8)).sign('1003383421387256', 10_000);
    expect(signer.check('1003383421387256', other.ext, other.hash, 1)).toBe('forged');
  });
});
