import { describe, expect, it } from 'vitest';
import { NumberDirectory } from './domain/business-numbers.js';
import { MediaStore } from './media-store.js';

const numbers = new NumberDirectory([
  {
    wabaId: '1',
    phoneNumberId: '111',
    displayPhoneNumber: '1555',
    accessTokens: ['a'],
    throughputPerSecond: 80,
  },
  {
    wabaId: '1',
    phoneNumberId: '222',
    displayPhoneNumber: '1556',
    accessTokens: ['b'],
    throughputPerSecond: 80,
  },
]);
const day = 24 * 60 * 60 * 1000;

function storeAt() {
  const clock = { ms: Date.parse('2026-11-23T12:00:00Z') };
  const store = new MediaStore(numbers, { urlTtlMs: 1000, now: () => new Date(clock.ms) });
  return { clock, store };
}

describe('MediaStore', () => {
  // whatsapp-cloud-api.md §8 item 6: "Media IDs returned by the API expire after 30 days. Media IDs in webhooks
  // expire after 7 days."
  it('keeps an inbound id 7 days and an uploaded one 30 days on its clock', () => {
    const { clock, store } = storeAt();
    const file = { bytes: Buffer.from('x'), mimeType: 'text/plain', phoneNumberId: '111' };
    const inbound = store.add({ ...file, origin: 'inbound' });
    const uploaded = store.add({ ...file, origin: 'uploaded' });
    clock.ms += 7 * day - 1;
    expect(store.graphMedia(inbound.id)).toBe(inbound);
    clock.ms += 1;
    expect(store.graphMedia(inbound.id)).toBeUndefined();
    expect(store.uploadedBy(uploaded.id, '111')).toBe(uploaded);
    expect(store.uploadedBy(uploaded.id, '222')).toBeUndefined();
    clock.ms += 23 * day;
    expect(store.uploadedBy(uploaded.id, '111')).toBeUndefined();
    // The phone keeps what its user sent.
    expect(store.phoneCopy(inbound.id)).toBe(inbound);
  });

  it("looks media up with its number's token and, when named, its number only", () => {
    const { store } = storeAt();
    const media = store.add({
      bytes: Buffer.from('x'),
      mimeType: 'text/plain',
      phoneNumberId: '111',
      origin: 'inbound',
    });
    expect(store.lookup(media.id, 'Bearer a')).toMatchObject({ ok: true });
    expect(store.lookup(media.id, 'Bearer a', '111')).toMatchObject({ ok: true });
    expect(store.lookup(media.id, 'Bearer a', '222')).toMatchObject({ ok: false, error: { code: 100 } });
    expect(store.lookup(media.id, 'Bearer b')).toMatchObject({ ok: false, error: { code: 190 } });
    expect(store.lookup(media.id, undefined)).toMatchObject({ ok: false, error: { code: 190 } });
    expect(store.lookup('123', 'Bearer a')).toMatchObject({ ok: false, error: { code: 100, subcode: 33 } });
  });

  it('serves a signed URL until its TTL with the token, then 404; without the token 401', () => {
    const { clock, store } = storeAt();
    const media = store.add({
      bytes: Buffer.from('x'),
      mimeType: 'text/plain',
      phoneNumberId: '111',
      origin: 'uploaded',
    });
    const query = Object.fromEntries(new URL(store.signedUrl('http://sim', media)).searchParams);
    expect(store.download(media.id, query, 'Bearer a')).toMatchObject({ ok: true });
    expect(store.download(media.id, query, undefined)).toEqual({ ok: false, status: 401 });
    expect(store.download(media.id, query, 'Bearer b')).toEqual({ ok: false, status: 401 });
    expect(store.download(media.id, { ...query, ext: String(clock.ms + 60_000) }, 'Bearer a')).toEqual({
      ok: false,
      status: 404,
    });
    clock.ms += 1000;
    expect(store.download(media.id, query, 'Bearer a')).toEqual({ ok: false, status: 404 });
  });
});
