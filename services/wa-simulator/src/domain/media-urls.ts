import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a media URL carries besides the media id: its expiry (unix ms) and a signature over both. */
export interface SignedMediaQuery {
  ext: string;
  hash: string;
}

export type MediaUrlCheck = 'valid' | 'expired' | 'forged';

/**
 * Meta's media URLs (`…/attachments/?mid=…&ext=…&hash=…`, whatsapp-cloud-api.md §8) last 5 minutes: each carries
 * its own expiry and a hash over it, so a URL cannot be extended by editing `ext`. The simulator signs with a
 * key of its own (new at every start: the media live in memory anyway).
 */
export class MediaUrlSigner {
  constructor(private readonly key: Buffer = randomBytes(32)) {}

  sign(mediaId: string, expiresAtMs: number): SignedMediaQuery {
    const ext = String(expiresAtMs);
    return { ext, hash: this.digest(mediaId, ext) };
  }

  /** `forged` for a hash that is not this signer's for (id, ext), whatever the time; else by `ext`. */
  check(mediaId: string, ext: string | undefined, hash: string | undefined, nowMs: number): MediaUrlCheck {
    if (!ext || !hash || !/^\d{1,16}$/.test(ext)) return 'forged';
    const expected = Buffer.from(this.digest(mediaId, ext));
    const given = Buffer.from(hash);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
    return nowMs < Number(ext) ? 'valid' : 'expired';
  }

  private digest(mediaId: string, ext: string): string {
    return createHmac('sha256', this.key).update(`${mediaId}\n${ext}`).digest('base64url').slice(0, 27);
  }
}
