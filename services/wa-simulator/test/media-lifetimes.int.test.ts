import { describe, expect, it } from 'vitest';
import { sampleFile } from '../src/sample-media.js';
import { multipart, sha256 } from './support/media.js';
import { auth, number, simulatorForFile } from './support/simulator.js';

// whatsapp-cloud-api.md §8 items 3, 5, 6: a media URL works 5 minutes (then 404: ask for a new one), a webhook's
// media id 7 days, an uploaded one 30 days. The simulator's clock moves instead of the test waiting.

const clock = { ms: Date.now() };
const minute = 60 * 1000;
const day = 24 * 60 * minute;
const simulator = simulatorForFile({}, { now: () => new Date(clock.ms) });
/** `SIM_MEDIA_URL_TTL_MS` shortens the URLs' life, for tests that wait for real. */
const shortLived = simulatorForFile({ SIM_MEDIA_URL_TTL_MS: '1000' }, { now: () => new Date(clock.ms) });
const user = '15550001111';

const get = (url: string) => simulator.app.inject({ method: 'GET', url, headers: auth });
const lookup = (mediaId: string) => get(`/v21.0/${mediaId}`);
const local = (url: string) => {
  const { pathname, search } = new URL(url);
  return `${pathname}${search}`;
};
const userSendsPhoto = async () =>
  (
    await simulator.app.inject({
      method: 'POST',
      url: `/sim/users/${user}/messages`,
      payload: { type: 'image' },
    })
  ).json().content.image.id as string;

describe('media lifetimes', () => {
  it('a URL works for 5 minutes, then answers 404, and a fresh lookup gives a new working URL', async () => {
    const mediaId = await userSendsPhoto();
    const first = local((await lookup(mediaId)).json().url);
    clock.ms += 5 * minute - 1;
    expect((await get(first)).statusCode).toBe(200);
    clock.ms += 1;
    expect((await get(first)).statusCode).toBe(404);
    const fresh = local((await lookup(mediaId)).json().url);
    expect(fresh).not.toBe(first);
    const download = await get(fresh);
    expect(sha256(download.rawPayload, 'hex')).toBe(sha256(sampleFile('image').bytes, 'hex'));
  });

  it('a URL lives SIM_MEDIA_URL_TTL_MS when set', async () => {
    const sent = await shortLived.app.inject({
      method: 'POST',
      url: `/sim/users/${user}/messages`,
      payload: { type: 'document' },
    });
    const mediaId = sent.json().content.document.id as string;
    const found = await shortLived.app.inject({ method: 'GET', url: `/v21.0/${mediaId}`, headers: auth });
    const url = local(found.json().url);
    const download = () => shortLived.app.inject({ method: 'GET', url, headers: auth });
    expect((await download()).statusCode).toBe(200);
    clock.ms += 1000;
    expect((await download()).statusCode).toBe(404);
  });

  it("a webhook's media id lives 7 days, an uploaded one 30 days", async () => {
    const inbound = await userSendsPhoto();
    const body = multipart(
      { messaging_product: 'whatsapp', type: 'image/png' },
      { bytes: sampleFile('image').bytes, filename: 'p.png', contentType: 'image/png' },
    );
    const uploaded = (
      await simulator.app.inject({
        method: 'POST',
        url: `/v21.0/${number}/media`,
        headers: { ...auth, ...body.headers },
        payload: body.payload,
      })
    ).json().id as string;
    clock.ms += 7 * day;
    expect((await lookup(inbound)).json().error).toMatchObject({ code: 100, error_subcode: 33 });
    expect((await lookup(uploaded)).statusCode).toBe(200);
    clock.ms += 23 * day;
    expect((await lookup(uploaded)).json().error).toMatchObject({ code: 100, error_subcode: 33 });
    await simulator.userSays(user, 'hi');
    const send = await simulator.app.inject({
      method: 'POST',
      url: `/v21.0/${number}/messages`,
      headers: auth,
      payload: { messaging_product: 'whatsapp', to: user, type: 'image', image: { id: uploaded } },
    });
    expect([send.statusCode, send.json().error.code]).toEqual([400, 100]);
  });
});
