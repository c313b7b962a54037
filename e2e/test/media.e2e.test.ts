import { createHash, randomBytes } from 'node:crypto';
import { createMediaClient, MediaRequestError } from '@wa-broker/agent-sdk';
import { agentMediaToken, mediaPath } from '@wa-broker/shared/media-access';
import { describe, expect, it } from 'vitest';
import { isAbout } from '../src/agent-bus.js';
import { type ChatEntry, isE2eAgent } from '../src/phone.js';
import { secrets } from '../src/system-env.js';
import { systemForFile } from '../src/system-for-file.js';

// Issue 18 end to end through the simulator: whatsapp-cloud-api.md §8 (media download, upload, types and limits).
// A relaunched media worker takes its partitions over within seconds, not kafkajs' 30.
const { system, phone, bus } = systemForFile({
  media: true,
  mediaEnv: { KAFKA_SESSION_TIMEOUT_MS: '6000', LOG_LEVEL: 'info' },
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const mediaOf = (entry: ChatEntry) =>
  (entry as ChatEntry & { media?: { id: string; sha256: string; url: string; mime_type: string } }).media;

/** A photo of ~1 MB: a JPEG's magic number, then noise (nothing compresses or dedupes it). */
const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(1024 * 1024)]);

async function connect(waId: string) {
  const hi = await phone.say(waId, 'hello, I have a problem with my parcel');
  await phone.choose(waId, isE2eAgent);
  await bus.waitForInbound((event) => isAbout(event, waId) && event.wamid === hi.wamid, 'the first message');
}

describe('media through the broker', () => {
  it('stores every type a user sends, with the bytes they sent, and serves it to the owning agent only', async () => {
    const waId = '15557180001';
    await connect(waId);
    const media = createMediaClient({ url: system.media?.url ?? '', token: system.mediaToken });
    const sent = [
      await phone.act(waId, {
        type: 'image',
        data_base64: photo.toString('base64'),
        mime_type: 'image/jpeg',
        caption: 'The box arrived damaged',
      }),
      await phone.act(waId, { type: 'audio', voice: true }),
      await phone.act(waId, { type: 'video', caption: 'unboxing' }),
      await phone.act(waId, { type: 'document', filename: 'receipt.pdf', caption: 'my receipt' }),
      await phone.act(waId, { type: 'sticker' }),
    ];
    for (const entry of sent) {
      const event = await bus.waitForInbound((e) => e.wamid === entry.wamid, `the ${entry.type}`);
      const userCopy = mediaOf(entry);
      expect(event).toMatchObject({
        type: entry.type,
        media: { id: userCopy?.id, path: mediaPath(event.phone_number_id ?? '', userCopy?.id ?? '') },
      });
      const file = await media.download(event.media?.path ?? '', { waitMs: 20_000 });
      expect(file.sha256, `${entry.type} bytes`).toBe(userCopy?.sha256);
      expect(file.mimeType.split(';')[0]).toBe((userCopy?.mime_type ?? '').split(';')[0]);
      if (entry.type === 'document') expect(file.filename).toBe('receipt.pdf');
      if (entry.type === 'image') expect(file.bytes.length).toBe(photo.length);
      // Then the agent hears it is stored, with what Meta's webhook never says: the size.
      const stored = await bus.waitForInbound(
        (e) => e.type === 'media_stored' && e.wamid === entry.wamid,
        `media_stored for the ${entry.type}`,
      );
      expect(stored.media).toMatchObject({
        id: userCopy?.id,
        type: entry.type,
        path: event.media?.path,
        size: file.bytes.length,
        sha256: file.sha256,
      });
      expect(bus.inbound.indexOf(stored)).toBeGreaterThan(bus.inbound.indexOf(event));
    }

    const path = (await bus.waitForInbound((e) => e.wamid === sent[0]?.wamid, 'the photo')).media?.path ?? '';
    const url = `${system.media?.url}${path}`;
    // Another agent's credential, a forged one and none: refused, and the other agent learns nothing.
    const otherAgent = agentMediaToken(secrets.mediaSigningKey, 'someone_else');
    expect((await fetch(url, { headers: { authorization: `Bearer ${otherAgent}` } })).status).toBe(404);
    expect((await fetch(url, { headers: { authorization: `Bearer ${system.mediaToken}x` } })).status).toBe(
      401,
    );
    expect((await fetch(url)).status).toBe(401);
    // A signed link opens it without a credential, and a Range gives exactly that slice (audio/video seeking).
    const link = media.link(path, 60);
    const ranged = await fetch(link, { headers: { range: 'bytes=100-199' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 100-199/${photo.length}`);
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(photo.subarray(100, 200));
    const otherLink = createMediaClient({ url: system.media?.url ?? '', token: otherAgent }).link(path, 60);
    expect((await fetch(otherLink)).status).toBe(404);
    // A signed link is a credential while it lives: no log line carries one.
    expect(system.allLogs().filter((line) => line.includes('sig='))).toEqual([]);
    expect(system.allLogs().some((line) => line.includes('"msg":"media stored"'))).toBe(true);
  });

  it('sends an agent’s photo, PDF and voice note to the phone, byte for byte, and refuses what Meta would', async () => {
    const waId = '15557180002';
    await connect(waId);
    const media = createMediaClient({ url: system.media?.url ?? '', token: system.mediaToken });
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(20_000)]);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(30_000), Buffer.from('\n%%EOF\n')]);
    // The simulator's own voice note: OGG/Opus, as Meta wants for `voice: true`.
    const voiceEntry = await phone.act('15557189999', { type: 'audio', voice: true });
    const voice = Buffer.from(
      await (await fetch(`${system.simulator.url}${mediaOf(voiceEntry)?.url}`)).arrayBuffer(),
    );

    const uploads = [
      {
        upload: await media.upload({ bytes: png, mimeType: 'image/png' }),
        bytes: png,
        send: { caption: 'Your replacement' },
      },
      {
        upload: await media.upload({ bytes: pdf, mimeType: 'application/pdf', filename: 'invoice-4821.pdf' }),
        bytes: pdf,
        send: { filename: 'invoice-4821.pdf' },
      },
      {
        upload: await media.upload({ bytes: voice, mimeType: 'audio/ogg; codecs=opus' }),
        bytes: voice,
        send: { voice: true },
      },
    ];
    for (const { upload, bytes, send } of uploads) {
      expect(upload.sha256).toBe(sha256(bytes));
      await bus.reply({ waID: waId, message_type: upload.type, media: { id: upload.id, ...send } });
      const received = await phone.waitFor(waId, (entry) => entry.type === upload.type, `the ${upload.type}`);
      await expect
        .poll(
          async () =>
            mediaOf((await phone.chat(waId)).find((e) => e.wamid === received.wamid) ?? received)?.sha256,
        )
        .toBe(sha256(bytes));
      // The broker kept what it sent: the inbox can show it.
      expect((await media.download(upload.path)).sha256).toBe(sha256(bytes));
    }

    // Meta's table, before anything is sent: field by field.
    const refused = await media
      .upload({ bytes: randomBytes(10), mimeType: 'image/gif' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MediaRequestError);
    expect((refused as MediaRequestError).problems.map((p) => p.field)).toEqual(['mime_type']);
    const tooBig = await fetch(`${system.media?.url}/v1/media?type=sticker`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.mediaToken}`, 'content-type': 'image/webp' },
      body: randomBytes(200 * 1024),
    });
    expect(tooBig.status).toBe(400);
    expect(await tooBig.json()).toMatchObject({ error: 'invalid_media', problems: [{ field: 'size' }] });
    // The bytes are not what the type says: Meta's 131053, passed on.
    const mismatch = await fetch(`${system.media?.url}/v1/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.mediaToken}`, 'content-type': 'image/jpeg' },
      body: pdf,
    });
    expect(mismatch.status).toBe(422);
    expect(await mismatch.json()).toMatchObject({ error: 'meta_refused', meta_error: { code: 131053 } });
  });

  // Last in the file: it makes the simulator forget every file.
  it('a file Meta no longer has reaches the owning agent as media_unavailable, and its link says so (410)', async () => {
    const waId = '15557180003';
    await connect(waId);
    const media = system.media;
    if (!media) throw new Error('no media service');
    await system.kill(media);
    const sent = await phone.act(waId, { type: 'document', filename: 'lost.pdf' });
    const event = await bus.waitForInbound((e) => e.wamid === sent.wamid, 'the document');
    // Meta forgets it before the broker could fetch it (an id past its 7 days, a purge): 400, code 100.
    await fetch(`${system.simulator.url}/sim/reset`, { method: 'POST' });
    const relaunched = await system.relaunch(media);
    const error = await bus.waitForError(
      (e) => e.code === 'media_unavailable' && e.wamid === sent.wamid,
      'media_unavailable',
      60_000,
    );
    expect(error).toMatchObject({
      waID: event.waID,
      phone_number_id: event.phone_number_id,
      media: { id: event.media?.id, type: 'document', path: event.media?.path },
      meta_error: { code: 100 },
    });
    const client = createMediaClient({ url: relaunched.url, token: system.mediaToken });
    const refused = await client.download(event.media?.path ?? '').catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 410, code: 'media_unavailable' });
  }, 90_000);
});
