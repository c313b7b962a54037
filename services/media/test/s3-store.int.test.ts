import { randomBytes } from 'node:crypto';
import { createTestBucket, type TestBucket } from '@wa-broker/infra/test-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client, createS3MediaStore } from '../src/adapters/s3-store.js';
import { type MediaStore, RangeNotSatisfiableError, type StoredMediaInfo } from '../src/domain/ports.js';

// The media store against the stack's real S3 server (S3Proxy): conditional writes, ranges, failure records,
// retention.
let bucket: TestBucket;
let store: MediaStore;
let client: ReturnType<typeof createS3Client>;

beforeAll(async () => {
  bucket = await createTestBucket('media-store');
  client = createS3Client({ ...bucket, forcePathStyle: true });
  store = createS3MediaStore(client, bucket.bucket);
});

afterAll(async () => {
  client?.destroy();
  await bucket?.drop();
});

const info: StoredMediaInfo = {
  owner: 'agent_A',
  mimeType: 'audio/ogg; codecs=opus',
  size: 4096,
  sha256: 'ab'.repeat(32),
  filename: 'nota de voz – março.ogg',
  direction: 'inbound',
};

async function read(body: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe('the S3 media store', () => {
  it('writes a file once: a second write of the same key loses, the first stays', async () => {
    const first = randomBytes(4096);
    expect(await store.put('media/1/voice', first, info)).toBe(true);
    expect(await store.put('media/1/voice', randomBytes(4096), info)).toBe(false);
    expect(await store.head('media/1/voice')).toEqual(info);
    const object = await store.get('media/1/voice');
    expect(await read(object?.body as NodeJS.ReadableStream)).toEqual(first);
  });

  it('serves a range for seeking, and refuses one past the end', async () => {
    const bytes = randomBytes(4096);
    await store.put('media/1/ranged', bytes, info);
    const object = await store.get('media/1/ranged', 'bytes=1000-1999');
    expect(object?.range).toEqual({ start: 1000, end: 1999, total: 4096 });
    expect(object?.contentLength).toBe(1000);
    expect(await read(object?.body as NodeJS.ReadableStream)).toEqual(bytes.subarray(1000, 2000));
    await expect(store.get('media/1/ranged', 'bytes=5000-6000')).rejects.toBeInstanceOf(
      RangeNotSatisfiableError,
    );
    expect(await store.get('media/1/missing')).toBeNull();
    expect(await store.head('media/1/missing')).toBeNull();
  });

  it('keeps why a file could not be stored, for its owner', async () => {
    expect(await store.failure('media/1/lost')).toBeNull();
    await store.recordFailure('media/1/lost', {
      owner: 'agent_A',
      reason: 'Graph API error 100',
      metaError: { code: 100, title: 'x' },
    });
    expect(await store.failure('media/1/lost')).toEqual({
      owner: 'agent_A',
      reason: 'Graph API error 100',
      metaError: { code: 100, title: 'x' },
    });
  });

  it('deletes what was written before the retention cutoff, and nothing newer', async () => {
    await store.put('media/2/old', randomBytes(10), info);
    const cutoff = new Date(Date.now() + 60_000); // everything so far is "old"
    const before = await store.sweep(new Date(Date.now() - 3_600_000));
    expect(before).toBe(0);
    const deleted = await store.sweep(cutoff);
    expect(deleted).toBeGreaterThanOrEqual(4); // the files above and the failure record
    expect(await store.head('media/2/old')).toBeNull();
    expect(await store.failure('media/1/lost')).toBeNull();
  });
});
