import { eventually } from '@wa-broker/infra/poll';
import { describe, expect, it } from 'vitest';
import type { ChatEntry } from '../src/conversation-store.js';
import { onePagePdf, sampleFile } from '../src/sample-media.js';
import { multipart, sha256 } from './support/media.js';
import { auth, number, simulatorForFile } from './support/simulator.js';

// Issue 18 §6: the business uploads media and sends it (whatsapp-cloud-api.md §5, §8 items 8–9).

/** What Meta would download for a send's `link`. */
const links = new Map<string, () => Response>([
  [
    'https://files.example/menu.png',
    () => new Response(sampleFile('image').bytes, { headers: { 'content-type': 'image/png' } }),
  ],
  ['https://files.example/missing.pdf', () => new Response('gone', { status: 404 })],
  [
    'https://files.example/fake.jpg',
    () => new Response('<html>', { headers: { 'content-type': 'image/jpeg' } }),
  ],
]);
const simulator = simulatorForFile(
  {},
  {
    fetchLink: async (url) => (links.get(url) ?? (() => new Response('', { status: 404 })))(),
  },
);
const user = '15550001111';
const png = sampleFile('image').bytes;

const upload = (
  file: { bytes: Buffer; filename: string; contentType: string },
  fields: Record<string, string> = {},
  headers: Record<string, string> = auth,
) => {
  const body = multipart({ messaging_product: 'whatsapp', ...fields }, file);
  return simulator.app.inject({
    method: 'POST',
    url: `/v21.0/${number}/media`,
    headers: { ...headers, ...body.headers },
    payload: body.payload,
  });
};
const send = (type: string, media: Record<string, unknown>) =>
  simulator.app.inject({
    method: 'POST',
    url: `/v21.0/${number}/messages`,
    headers: auth,
    payload: { messaging_product: 'whatsapp', to: user, type, [type]: media },
  });
/** The user's copy of business message `wamid`, once the phone has it. */
const received = (wamid: string) =>
  eventually(
    async () => {
      const chat = await simulator.app.inject({ method: 'GET', url: `/sim/users/${user}/messages` });
      const entry = (chat.json().messages as ChatEntry[]).find((candidate) => candidate.wamid === wamid);
      return entry?.media || entry?.status === 'failed' ? entry : undefined;
    },
    { what: `the phone to receive ${wamid}` },
  );
const failure = (wamid: string) =>
  eventually(() => simulator.statuses().find((status) => status.id === wamid && status.status === 'failed'));

describe('uploads', () => {
  it('take every type (the MIME type in `type` or on the file part) and answer { id }', async () => {
    for (const type of ['image', 'audio', 'video', 'document', 'sticker'] as const) {
      const sample = sampleFile(type);
      const file = { bytes: sample.bytes, filename: sample.filename ?? 'file', contentType: sample.mimeType };
      const answer = type === 'video' ? await upload(file) : await upload(file, { type: sample.mimeType });
      expect(answer.statusCode, type).toBe(200);
      expect(answer.json(), type).toEqual({ id: expect.stringMatching(/^\d+$/) });
      const lookup = await simulator.app.inject({
        method: 'GET',
        url: `/v21.0/${answer.json().id}`,
        headers: auth,
      });
      expect(lookup.json(), type).toMatchObject({
        sha256: sha256(sample.bytes, 'hex'),
        file_size: String(sample.bytes.length),
      });
    }
  });

  it('answer 131053 to bytes that are not the declared type, a type Meta does not take and an oversized file', async () => {
    const cases = [
      { bytes: png, filename: 'voice.ogg', contentType: 'audio/ogg' },
      { bytes: png, filename: 'photo.jpg', contentType: 'image/jpeg' },
      { bytes: Buffer.from('GIF89a....'), filename: 'a.gif', contentType: 'image/gif' },
      {
        bytes: Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024)]),
        filename: 'big.png',
        contentType: 'image/png',
      },
    ];
    const details = [];
    for (const file of cases) {
      const answer = await upload(file, { type: file.contentType });
      expect(answer.statusCode, file.filename).toBe(400);
      expect(answer.json().error, file.filename).toMatchObject({
        message: '(#131053) Media upload error',
        code: 131053,
        error_data: { messaging_product: 'whatsapp' },
      });
      details.push(answer.json().error.error_data.details);
    }
    expect(details[0]).toBe("The file's content (png) does not match its declared MIME type audio/ogg.");
    expect(details[2]).toMatch(/image\/gif is not supported/);
    expect(details[3]).toMatch(/image may be at most 5242880 bytes/);
  });

  it("need the number's token and messaging_product", async () => {
    const file = { bytes: png, filename: 'p.png', contentType: 'image/png' };
    const noToken = await upload(file, {}, {});
    expect([noToken.statusCode, noToken.json().error.code]).toEqual([401, 190]);
    const body = multipart({}, file);
    const noProduct = await simulator.app.inject({
      method: 'POST',
      url: `/v21.0/${number}/media`,
      headers: { ...auth, ...body.headers },
      payload: body.payload,
    });
    expect([noProduct.statusCode, noProduct.json().error.code]).toEqual([400, 100]);
  });
});

describe('business media sends', () => {
  it("reach the user's phone with identical bytes: an image, a document and a voice note by id", async () => {
    await simulator.userSays(user, 'hi');
    const pdf = onePagePdf('Your invoice');
    const voice = sampleFile('audio').bytes;
    const files = [
      { type: 'image', bytes: png, contentType: 'image/png', extra: { caption: 'our menu' } },
      { type: 'document', bytes: pdf, contentType: 'application/pdf', extra: { filename: 'invoice.pdf' } },
      { type: 'audio', bytes: voice, contentType: 'audio/ogg', extra: {} },
    ];
    for (const file of files) {
      const id = (
        await upload(
          { bytes: file.bytes, filename: 'f', contentType: file.contentType },
          { type: file.contentType },
        )
      ).json().id;
      const sent = await send(file.type, { id, ...file.extra });
      expect(sent.statusCode, file.type).toBe(200);
      const entry = await received(sent.json().messages[0].id);
      expect(entry.media, file.type).toMatchObject({
        mime_type: file.contentType,
        sha256: sha256(file.bytes, 'hex'),
        file_size: file.bytes.length,
        ...file.extra,
        ...(file.type === 'audio' ? { voice: true } : {}),
      });
      const copy = await simulator.app.inject({ method: 'GET', url: entry.media?.url ?? '' });
      expect(copy.rawPayload.equals(file.bytes), file.type).toBe(true);
    }
    await eventually(
      () => simulator.statuses().filter((status) => status.status === 'delivered').length === 3,
    );
  });

  // Graph refuses an id the number did not upload at once, with #100 (client libraries match this wording).
  it("refuse an unknown media id, or a user's, with (#100) Param <type>['id'] is not a valid … media attachment ID", async () => {
    await simulator.userSays(user, 'hi');
    const theirs = (
      await simulator.app.inject({
        method: 'POST',
        url: `/sim/users/${user}/messages`,
        payload: { type: 'image' },
      })
    ).json().content.image.id;
    for (const id of ['123456789', theirs]) {
      const sent = await send('image', { id });
      expect([sent.statusCode, sent.json().error]).toEqual([
        400,
        expect.objectContaining({
          code: 100,
          message: "(#100) Param image['id'] is not a valid whatsapp business account media attachment ID",
        }),
      ]);
    }
    const badLink = await send('document', { link: 'not a url' });
    expect(badLink.json().error).toMatchObject({
      code: 100,
      message: "(#100) Param document['link'] is not a valid URI.",
    });
  });

  it('by link: Meta downloads it after accepting the send; a link it cannot use fails with 131053', async () => {
    await simulator.userSays(user, 'hi');
    const ok = await send('image', { link: 'https://files.example/menu.png' });
    expect((await received(ok.json().messages[0].id)).media).toMatchObject({ sha256: sha256(png, 'hex') });
    for (const link of ['https://files.example/missing.pdf', 'https://files.example/fake.jpg']) {
      const sent = await send(link.endsWith('.pdf') ? 'document' : 'image', { link });
      expect(sent.statusCode, link).toBe(200);
      expect((await failure(sent.json().messages[0].id)).errors, link).toEqual([
        expect.objectContaining({ code: 131053 }),
      ]);
    }
  });
});
