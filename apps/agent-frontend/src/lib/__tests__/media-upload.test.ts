import { beforeEach, describe, expect, it, vi } from 'vitest';
import { describeUploadFailure } from '../../features/conversations/api/describe-failure.js';
import { uploadMedia } from '../media-upload.js';
import { FakeXhr, lastXhr, uploaded } from './fake-xhr.js';

const newXhr = () => new FakeXhr() as unknown as XMLHttpRequest;
const png = () => new File([new Uint8Array([137, 80, 78, 71])], 'shot.png', { type: 'image/png' });

beforeEach(() => {
  FakeXhr.instances = [];
});

describe('uploadMedia', () => {
  it('POSTs the raw file to /api/media with its type, the operator token and the number, reporting progress', async () => {
    const file = png();
    const onProgress = vi.fn();
    const result = uploadMedia(
      { file, type: 'image', filename: 'shot.png', phoneNumberId: '111', token: 'op-token', onProgress },
      newXhr,
    );
    const xhr = lastXhr();
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('/api/media?type=image&filename=shot.png&phone_number_id=111');
    expect(xhr.headers).toEqual({ 'Content-Type': 'image/png', Authorization: 'Bearer op-token' });
    expect(xhr.body).toBe(file);
    xhr.progress(2, 4);
    xhr.progress(4, 4);
    expect(onProgress.mock.calls.map(([p]) => p)).toEqual([
      { loaded: 0, total: 4 },
      { loaded: 2, total: 4 },
      { loaded: 4, total: 4 },
    ]);
    xhr.respond(201, uploaded());
    expect(await result).toEqual({ ok: true, media: uploaded() });
  });

  it('leaves out the number when the conversation has none, and encodes the file name', () => {
    void uploadMedia(
      { file: png(), type: 'document', filename: 'a b&c.pdf', token: 't', animated: false },
      newXhr,
    );
    expect(lastXhr().url).toBe('/api/media?type=document&filename=a+b%26c.pdf');
  });

  it('says which field the server refused (400 invalid_media)', async () => {
    const result = uploadMedia({ file: png(), type: 'image', token: 't' }, newXhr);
    const problems = [{ field: 'size', message: 'image may be at most 5242880 bytes' }];
    lastXhr().respond(400, { error: 'invalid_media', message: 'too big', problems });
    const failure = await result;
    expect(failure).toEqual({
      ok: false,
      kind: 'http',
      status: 400,
      error: 'invalid_media',
      message: 'too big',
      problems,
    });
    if (failure.ok) throw new Error('unreachable');
    expect(describeUploadFailure(failure)).toEqual({ message: 'too big', problems });
  });

  it('puts Meta’s refusal (422) and an unavailable media service (503) into words', async () => {
    const refused = uploadMedia({ file: png(), type: 'image', token: 't' }, newXhr);
    lastXhr().respond(422, { error: 'meta_refused', message: 'unsupported file' });
    const failure = await refused;
    if (failure.ok) throw new Error('unreachable');
    expect(describeUploadFailure(failure).message).toBe('WhatsApp refused the file: unsupported file.');

    const down = uploadMedia({ file: png(), type: 'image', token: 't' }, newXhr);
    lastXhr().respond(503, { error: 'media_not_configured', message: 'this inbox has no media service' });
    const unavailable = await down;
    if (unavailable.ok) throw new Error('unreachable');
    expect(describeUploadFailure(unavailable).message).toContain('this inbox has no media service');
  });

  it('resolves "network" when the request fails, and "cancelled" when aborted', async () => {
    const failing = uploadMedia({ file: png(), type: 'image', token: 't' }, newXhr);
    lastXhr().fail();
    expect(await failing).toEqual({ ok: false, kind: 'network' });

    const controller = new AbortController();
    const cancelled = uploadMedia(
      { file: png(), type: 'image', token: 't', signal: controller.signal },
      newXhr,
    );
    controller.abort();
    expect(lastXhr().aborted).toBe(true);
    expect(await cancelled).toEqual({ ok: false, kind: 'cancelled' });
  });

  it('does not start when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await uploadMedia(
      { file: png(), type: 'image', token: 't', signal: controller.signal },
      newXhr,
    );
    expect(result).toEqual({ ok: false, kind: 'cancelled' });
    expect(FakeXhr.instances).toHaveLength(0);
  });
});
