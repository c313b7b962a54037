import { describe, expect, it } from 'vitest';
import { auth, number, simulatorForFile } from './support/simulator.js';

// Issue 15, the Graph API's side: paths and error wording as a client written against Meta's documentation sees
// them. Each test states Meta's behaviour and the section of the shared docs it follows.

const simulator = simulatorForFile();

/** `POST /v21.0/{phone-number-id}/messages` as a client sends it. */
const postMessages = (
  payload: string | Record<string, unknown>,
  headers: Record<string, string> = auth,
  phoneNumberId = number,
) => simulator.app.inject({ method: 'POST', url: `/v21.0/${phoneNumberId}/messages`, headers, payload });

describe('Graph paths', () => {
  // whatsapp-cloud-api.md §5.1 and §8 give versioned paths; Graph serves unversioned ones with the default version.
  it('serves POST /{phone-number-id}/messages and GET /{media-id} without a version', async () => {
    await simulator.userSays('15550001111', 'hi');
    const sent = await simulator.app.inject({
      method: 'POST',
      url: `/${number}/messages`,
      headers: auth,
      payload: { messaging_product: 'whatsapp', to: '15550001111', type: 'text', text: { body: 'hi' } },
    });
    expect(sent.statusCode).toBe(200);
    expect(sent.json().messages[0].id).toMatch(/^wamid\./);
    const photo = (
      await simulator.app.inject({
        method: 'POST',
        url: '/sim/users/15550001111/messages',
        payload: { type: 'image' },
      })
    ).json();
    const lookup = await simulator.app.inject({
      method: 'GET',
      url: `/${photo.content.image.id}`,
      headers: auth,
    });
    expect(lookup.json()).toMatchObject({ messaging_product: 'whatsapp', id: photo.content.image.id });
  });

  // whatsapp-cloud-api.md §7.2: errors come in Meta's envelope; Graph's unknown path is code 2500.
  it("answers unknown routes and unknown versions in Meta's error envelope, never Fastify's", async () => {
    for (const [method, url] of [
      ['GET', '/v21.0/106540352242922/phone_numbers/extra'],
      ['POST', `/v21.0/${number}/nothing`],
      ['DELETE', '/v21.0/123'],
      ['POST', `/latest/${number}/messages`],
    ] as const) {
      const response = await simulator.app.inject({ method, url, headers: auth, payload: {} });
      expect(response.statusCode, url).toBe(400);
      expect(response.json(), url).toEqual({
        error: {
          message: expect.stringMatching(/^Unknown path components: \//),
          type: 'OAuthException',
          code: 2500,
          fbtrace_id: expect.any(String),
        },
      });
    }
  });

  it('answers a malformed JSON body in the envelope too', async () => {
    const response = await postMessages('{"messaging_product":', {
      ...auth,
      'content-type': 'application/json',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: expect.objectContaining({ code: 100, type: 'OAuthException' }),
    });
  });
});

describe('error wording', () => {
  // Issue 15 §6: Graph's bare OAuthException for a token it cannot parse (no "(#190)", no error_data).
  it('answers a bad token exactly like Meta', async () => {
    const response = await postMessages({}, { authorization: 'Bearer nope' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      error: {
        message: 'Invalid OAuth access token - Cannot parse access token',
        type: 'OAuthException',
        code: 190,
        fbtrace_id: expect.any(String),
      },
    });
  });

  // Graph's unknown-object answer: code 100 with error_subcode 33 (README "Where it is not Meta" for the source).
  it('answers an unknown phone-number id with error_subcode 33', async () => {
    const response = await postMessages({}, auth, '999');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      message: expect.stringMatching(/^Unsupported post request\. Object with ID '999' does not exist/),
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
    });
    expect(response.json().error).not.toHaveProperty('error_data');
  });
});
