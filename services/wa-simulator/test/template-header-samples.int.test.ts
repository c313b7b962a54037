import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auth, simulatorForFile, token, waba } from './support/simulator.js';

// Template header samples through Meta's Resumable Upload API: open a session on the app, upload the bytes,
// and name the handle in a media header's `example.header_handle`.
const appId = '555000111222333';
const simulator = simulatorForFile({ SIM_APP_ID: appId, SIM_TEMPLATE_REVIEW_MS: '60000' });
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

const open = (query: Record<string, string>, headers: Record<string, string> = auth, app = appId) =>
  simulator.app.inject({
    method: 'POST',
    url: `/v21.0/${app}/uploads?${new URLSearchParams(query)}`,
    headers,
  });
const send = (id: string, bytes: Buffer, headers: Record<string, string> = {}) =>
  simulator.app.inject({
    method: 'POST',
    url: `/v21.0/${id}`,
    headers: {
      authorization: `OAuth ${token}`,
      file_offset: '0',
      'content-type': 'application/octet-stream',
      ...headers,
    },
    payload: bytes,
  });

/** Both calls; the handle Meta would give. */
async function upload(bytes: Buffer, fileType: string): Promise<string> {
  const opened = await open({ file_name: 'sample', file_length: String(bytes.length), file_type: fileType });
  expect(opened.statusCode).toBe(200);
  const sent = await send(opened.json().id, bytes);
  expect(sent.statusCode).toBe(200);
  return sent.json().h;
}

const mediaTemplate = (name: string, format: string, handle: unknown) => ({
  name,
  language: 'en_US',
  category: 'MARKETING',
  components: [
    { type: 'HEADER', format, example: { header_handle: [handle] } },
    { type: 'BODY', text: 'New in store this week.' },
  ],
});
const createTemplate = (body: Record<string, unknown>) =>
  simulator.app.inject({
    method: 'POST',
    url: `/v21.0/${waba}/message_templates`,
    headers: auth,
    payload: body,
  });

describe('resumable upload API (template header samples)', () => {
  it('opens a session, takes the bytes and answers an opaque handle kept with them', async () => {
    const opened = await open({
      file_name: 'dot.png',
      file_length: String(png.length),
      file_type: 'image/png',
    });
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toEqual({ id: expect.stringMatching(/^upload:[\w-]+$/) });

    const sent = await send(opened.json().id, png);
    expect(sent.statusCode).toBe(200);
    const handle = sent.json().h as string;
    expect(handle).toMatch(/^4::aW1hZ2UvcG5n:[\w-]+$/);

    const sample = await simulator.app.inject({
      method: 'GET',
      url: `/sim/header-samples?handle=${encodeURIComponent(handle)}`,
    });
    expect(sample.statusCode).toBe(200);
    expect(sample.headers['content-type']).toBe('image/png');
    expect(sample.rawPayload.equals(png)).toBe(true);
    expect(sample.headers['x-sample-sha256']).toBe(createHash('sha256').update(png).digest('hex'));

    // The session ended with the upload: the same bytes again are an unknown session.
    const again = await send(opened.json().id, png);
    expect(again.statusCode).toBe(400);
    expect(again.json().error).toMatchObject({ code: 100 });
  });

  it('checks tokens like the other Graph paths: Bearer to open, OAuth to upload, 190 otherwise', async () => {
    const query = { file_name: 'dot.png', file_length: String(png.length), file_type: 'image/png' };
    const refused = await open(query, { authorization: 'Bearer not-a-token' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toMatchObject({ code: 190 });
    const unknownApp = await open(query, auth, '999999999999999');
    expect(unknownApp.statusCode).toBe(400);
    expect(unknownApp.json().error).toMatchObject({ code: 100, error_subcode: 33 });

    const { id } = (await open(query)).json();
    for (const authorization of ['OAuth not-a-token', `Bearer ${token}`]) {
      const response = await send(id, png, { authorization });
      expect(response.statusCode).toBe(401);
      expect(response.json().error).toMatchObject({ code: 190 });
    }
    expect((await send(id, png)).statusCode).toBe(200);
  });

  it('refuses bytes that are not what the session declared, and an unknown session, with code 100', async () => {
    const declared = { file_name: 'dot.png', file_type: 'image/png' };
    const short = (await open({ ...declared, file_length: String(png.length + 5) })).json().id;
    const tooShort = await send(short, png);
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json().error).toMatchObject({
      code: 100,
      error_data: { details: expect.stringContaining(`declared file_length ${png.length + 5}`) },
    });

    const asPdf = (await open({ ...declared, file_length: String(pdf.length) })).json().id;
    const wrongType = await send(asPdf, pdf);
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error).toMatchObject({
      code: 100,
      error_data: { details: expect.stringContaining('does not match') },
    });

    const unknown = await send('upload:no-such-session', png);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({
      code: 100,
      error_data: { details: expect.stringContaining('No upload session') },
    });

    const notMedia = await open({ file_name: 'a.gif', file_length: '10', file_type: 'image/gif' });
    expect(notMedia.statusCode).toBe(400);
    expect(notMedia.json().error).toMatchObject({ code: 100 });
  });
});

describe('template create with a media header', () => {
  it('takes a header_handle this simulator issued', async () => {
    const handle = await upload(png, 'image/png');
    const created = await createTemplate(mediaTemplate('spring_promo', 'IMAGE', handle));
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ status: 'PENDING' });
    const listed = await simulator.app.inject({ method: 'GET', url: `/sim/templates?waba_id=${waba}` });
    const stored = listed.json().templates.find((t: { name: string }) => t.name === 'spring_promo');
    expect(stored.components[0].example.header_handle).toEqual([handle]);
  });

  it('refuses a handle it never issued, or a sample the format does not take, naming the field', async () => {
    const made = await createTemplate(mediaTemplate('made_up_handle', 'IMAGE', '4::aW1hZ2UvcG5n:made-up'));
    expect(made.statusCode).toBe(400);
    expect(made.json().error).toMatchObject({
      code: 100,
      error_user_title: 'Invalid parameter: components[0].example.header_handle',
      error_user_msg: expect.stringContaining('not a handle of the Resumable Upload API'),
    });

    const pdfHandle = await upload(pdf, 'application/pdf');
    const wrongFormat = await createTemplate(mediaTemplate('pdf_as_video', 'VIDEO', pdfHandle));
    expect(wrongFormat.statusCode).toBe(400);
    expect(wrongFormat.json().error).toMatchObject({
      code: 100,
      error_user_msg: expect.stringContaining('a VIDEO header takes video/mp4'),
    });
    expect((await createTemplate(mediaTemplate('pdf_doc', 'DOCUMENT', pdfHandle))).statusCode).toBe(200);
  });
});
