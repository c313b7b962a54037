import { eventually } from '@wa-broker/infra/poll';
import { describe, expect, it } from 'vitest';
import { onePagePdf, sampleFile } from '../src/sample-media.js';
import { messageItems, sha256 } from './support/media.js';
import { auth, number, simulatorForFile } from './support/simulator.js';

// Issue 18 §6: what users send, as the business receives it (whatsapp-cloud-api.md §3.2, §8).

const simulator = simulatorForFile();
const user = '15550001111';
const mediaTypes = ['image', 'audio', 'video', 'document', 'sticker'] as const;

const userSends = (payload: Record<string, unknown>) =>
  simulator.app.inject({ method: 'POST', url: `/sim/users/${user}/messages`, payload });
const userSendsRaw = (bytes: Buffer, contentType: string, query = '') =>
  simulator.app.inject({
    method: 'POST',
    url: `/sim/users/${user}/media${query}`,
    headers: { 'content-type': contentType },
    payload: bytes,
  });
/** The webhook's item for the user's message `wamid`. */
const itemOf = (wamid: string) =>
  eventually(() => messageItems(simulator.received).find((item) => item.id === wamid), { what: wamid });
const get = (url: string, headers: Record<string, string> = {}) =>
  simulator.app.inject({ method: 'GET', url, headers });
/** The path and query of an absolute media URL (the tests call the app in-process). */
const local = (url: string) => {
  const { pathname, search } = new URL(url);
  return `${pathname}${search}`;
};

describe('a user sends media', () => {
  it("reaches the webhook with Meta's fields for every type, and downloads with the token matching sha256", async () => {
    for (const type of mediaTypes) {
      const sample = sampleFile(type);
      const caption = ['image', 'video', 'document'].includes(type) ? `a ${type}` : undefined;
      const sent = await userSends({ type, ...(caption ? { caption } : {}) });
      expect(sent.statusCode, type).toBe(202);
      const item = (await itemOf(sent.json().wamid)) as Record<string, Record<string, unknown>>;
      const media = item[type] as Record<string, unknown>;
      expect(item.type, type).toBe(type);
      expect(media, type).toMatchObject({
        id: expect.stringMatching(/^\d+$/),
        mime_type: sample.mimeType,
        sha256: sha256(sample.bytes, 'base64'),
        url: expect.stringContaining('/media-download/'),
        ...(caption ? { caption } : {}),
      });
      if (type === 'audio') expect(media.voice).toBe(true);
      if (type === 'sticker') expect(media.animated).toBe(false);
      if (type === 'document') expect(media.filename).toBe('sample.pdf');
      if (type === 'audio' || type === 'sticker') expect(media).not.toHaveProperty('caption');

      const lookup = await get(`/v21.0/${media.id}`, auth);
      expect(lookup.json(), type).toEqual({
        messaging_product: 'whatsapp',
        url: expect.any(String),
        mime_type: sample.mimeType,
        sha256: sha256(sample.bytes, 'hex'),
        file_size: String(sample.bytes.length),
        id: media.id,
      });
      for (const url of [lookup.json().url as string, media.url as string]) {
        const download = await get(local(url), auth);
        expect(download.statusCode, type).toBe(200);
        expect(download.headers['content-type'], type).toBe(sample.mimeType);
        expect(sha256(download.rawPayload, 'base64'), type).toBe(media.sha256);
      }
    }
  });

  it('sends its own bytes, as base64 in JSON or as a raw body whose MIME type picks the type', async () => {
    const pdf = onePagePdf('Invoice 48213');
    const json = await userSends({
      type: 'document',
      data_base64: pdf.toString('base64'),
      mime_type: 'application/pdf',
      filename: 'invoice.pdf',
    });
    const raw = await userSendsRaw(sampleFile('sticker').bytes, 'image/webp');
    const zip = await userSendsRaw(
      Buffer.from('PK\x03\x04rest', 'latin1'),
      'application/zip',
      '?filename=a.zip',
    );
    const voice = await userSendsRaw(sampleFile('audio').bytes, 'audio/ogg', '?voice=true');
    expect([json, raw, zip, voice].map((response) => response.statusCode)).toEqual([202, 202, 202, 202]);
    expect((await itemOf(json.json().wamid)).document).toMatchObject({
      filename: 'invoice.pdf',
      sha256: sha256(pdf, 'base64'),
    });
    expect((await itemOf(raw.json().wamid)).type).toBe('sticker');
    expect((await itemOf(zip.json().wamid)).document).toMatchObject({ mime_type: 'application/zip' });
    // WhatsApp names a voice note's codec, as Meta's voice-note webhooks show.
    expect((await itemOf(voice.json().wamid)).audio).toMatchObject({
      mime_type: 'audio/ogg; codecs=opus',
      voice: true,
    });
    // The phone keeps its own copy: no Meta token needed, the same bytes.
    const entry = json.json();
    expect(entry.media).toMatchObject({ sha256: sha256(pdf, 'hex'), filename: 'invoice.pdf' });
    const copy = await get(entry.media.url);
    expect(copy.rawPayload.equals(pdf)).toBe(true);
  });

  it('is refused without a token (401) and to another number than `phone_number_id` (100/33)', async () => {
    const sent = await userSends({ type: 'image' });
    const mediaId = sent.json().content.image.id as string;
    const lookup = await get(`/v21.0/${mediaId}?phone_number_id=${number}`, auth);
    expect(lookup.statusCode).toBe(200);
    const url = local(lookup.json().url);
    expect((await get(url)).statusCode).toBe(401);
    expect((await get(url, { authorization: 'Bearer nope' })).statusCode).toBe(401);
    const otherNumber = await get(`/v21.0/${mediaId}?phone_number_id=106540352242999`, auth);
    expect([otherNumber.statusCode, otherNumber.json().error]).toEqual([
      400,
      expect.objectContaining({ code: 100, error_subcode: 33, type: 'GraphMethodException' }),
    ]);
    expect((await get(`/v21.0/${mediaId}`)).json().error.code).toBe(190);
    // An edited expiry is not the URL Meta gave: 404, like an expired one.
    const edited = url.replace(/ext=\d+/, `ext=${Date.now() + 3_600_000}`);
    expect((await get(edited, auth)).statusCode).toBe(404);
  });

  // business-phone-numbers/media, "Media message download constraints".
  it('above 100 MB (or with `too_large`) becomes the 131052 webhook instead of the file', async () => {
    const forced = await userSends({ type: 'video', too_large: true });
    const big = await userSendsRaw(
      Buffer.alloc(100 * 1024 * 1024 + 1),
      'application/pdf',
      '?filename=big.pdf',
    );
    for (const response of [forced, big]) {
      expect(response.statusCode).toBe(202);
      const item = await itemOf(response.json().wamid);
      expect(item).toMatchObject({
        type: 'unsupported',
        errors: [{ code: 131052, title: expect.stringMatching(/^Media file size too big/) }],
      });
      expect(item).not.toHaveProperty('video');
    }
    expect((await itemOf(big.json().wamid)).unsupported).toEqual({ type: 'document' });
  });

  it('is refused by the simulator API when it makes no sense (a caption on a sticker, an unknown type)', async () => {
    expect((await userSends({ type: 'sticker', caption: 'no' })).statusCode).toBe(400);
    expect((await userSendsRaw(Buffer.from('x'), 'text/plain', '?type=gif')).statusCode).toBe(400);
    expect((await userSendsRaw(Buffer.alloc(0), 'text/plain')).statusCode).toBe(400);
  });
});
