import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackS3Client } from '../src/services/s3-service.js';
import { stackS3, stackSettings } from '../src/stack-settings.js';
import { createTestBucket, type TestBucket, testBucketName } from '../src/test-s3.js';

const s3 = stackS3();
const client = stackS3Client(s3);
let bucket: TestBucket;

beforeAll(async () => {
  bucket = await createTestBucket('infra-s3');
});
afterAll(async () => {
  await bucket?.drop();
  client.destroy();
});

const statusOf = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the stack's S3 server (S3Proxy, filesystem backend)", () => {
  it('answers signed requests with the stack key pair, refuses another secret, and has the dev bucket', async () => {
    expect(s3).toMatchObject({
      endpoint: 'http://127.0.0.1:19000',
      region: 'us-east-1',
      accessKeyId: 'wa-broker',
      forcePathStyle: true,
      bucket: 'wa-broker-media',
    });
    const buckets = await client.send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.map((found) => found.Name)).toContain('wa-broker-media');

    const stranger = stackS3Client({ ...s3, secretAccessKey: 'not-the-secret' }, { maxAttempts: 1 });
    try {
      const refused = await stranger.send(new ListBucketsCommand({})).catch((error: unknown) => error);
      expect(statusOf(refused)).toBe(403);
    } finally {
      stranger.destroy();
    }
  });

  it('returns the bytes it was given, with their type and MD5 ETag', async () => {
    const body = randomBytes(3 * 1024 * 1024 + 17);
    const key = 'media/round-trip/voice.ogg';
    const put = await client.send(
      new PutObjectCommand({ Bucket: bucket.bucket, Key: key, Body: body, ContentType: 'audio/ogg' }),
    );
    expect(put.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
    const got = await client.send(new GetObjectCommand({ Bucket: bucket.bucket, Key: key }));
    expect([got.$metadata.httpStatusCode, got.ContentType, got.ContentLength]).toEqual([
      200,
      'audio/ogg',
      body.length,
    ]);
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(body)).toBe(true);
  });

  it('answers a Range GET with 206 and exactly the requested slice', async () => {
    const body = randomBytes(256 * 1024);
    const key = 'media/range/video.mp4';
    await client.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: key, Body: body }));

    const slice = await client.send(
      new GetObjectCommand({ Bucket: bucket.bucket, Key: key, Range: 'bytes=1000-1999' }),
    );
    expect([slice.$metadata.httpStatusCode, slice.ContentRange, slice.ContentLength]).toEqual([
      206,
      `bytes 1000-1999/${body.length}`,
      1000,
    ]);
    expect(
      Buffer.from((await slice.Body?.transformToByteArray()) ?? []).equals(body.subarray(1000, 2000)),
    ).toBe(true);

    const last = await client.send(
      new GetObjectCommand({ Bucket: bucket.bucket, Key: key, Range: 'bytes=-100' }),
    );
    expect([last.$metadata.httpStatusCode, last.ContentRange]).toEqual([
      206,
      `bytes ${body.length - 100}-${body.length - 1}/${body.length}`,
    ]);
    expect(Buffer.from((await last.Body?.transformToByteArray()) ?? []).equals(body.subarray(-100))).toBe(
      true,
    );
  });

  it('serves a presigned GET URL to plain fetch (whole and ranged) until it expires, then answers 403', async () => {
    const body = randomBytes(64 * 1024);
    const key = 'media/presigned/image.jpeg';
    await client.send(
      new PutObjectCommand({ Bucket: bucket.bucket, Key: key, Body: body, ContentType: 'image/jpeg' }),
    );
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket.bucket, Key: key }), {
      expiresIn: 2,
    });
    const signedAt = Date.now();
    expect(new URL(url).searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.startsWith(`${s3.endpoint}/${bucket.bucket}/media/presigned/image.jpeg?`)).toBe(true);

    const whole = await fetch(url);
    expect([whole.status, whole.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
    expect(Buffer.from(await whole.arrayBuffer()).equals(body)).toBe(true);
    const ranged = await fetch(url, { headers: { Range: 'bytes=10-19' } });
    expect([ranged.status, ranged.headers.get('content-range')]).toEqual([206, `bytes 10-19/${body.length}`]);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(body.subarray(10, 20))).toBe(true);

    const tampered = new URL(url);
    tampered.pathname = `/${bucket.bucket}/media/presigned/other.jpeg`;
    expect((await fetch(tampered)).status).toBe(403);

    // X-Amz-Date has whole seconds: wait past the 2 s from the second the URL was signed in, with a margin.
    await sleep(Math.max(0, signedAt + 3500 - Date.now()));
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('AccessDenied');
  });

  it('assembles a multipart upload from its parts', async () => {
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(5 * 1024 * 1024), randomBytes(1234)];
    const key = 'media/multipart/document.pdf';
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket.bucket, Key: key }),
    );
    const etags = [];
    for (const [index, part] of parts.entries()) {
      const uploaded = await client.send(
        new UploadPartCommand({
          Bucket: bucket.bucket,
          Key: key,
          UploadId,
          PartNumber: index + 1,
          Body: part,
        }),
      );
      etags.push({ ETag: uploaded.ETag, PartNumber: index + 1 });
    }
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket.bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: etags },
      }),
    );
    const got = await client.send(new GetObjectCommand({ Bucket: bucket.bucket, Key: key }));
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(Buffer.concat(parts))).toBe(
      true,
    );
  });

  it('accepts an upload through a presigned PUT URL', async () => {
    const body = randomBytes(10_000);
    const key = 'media/presigned/upload.pdf';
    const url = await getSignedUrl(
      client,
      new PutObjectCommand({ Bucket: bucket.bucket, Key: key, ContentType: 'application/pdf' }),
      { expiresIn: 60 },
    );
    const put = await fetch(url, { method: 'PUT', body, headers: { 'Content-Type': 'application/pdf' } });
    expect(put.status).toBe(200);
    const got = await client.send(new GetObjectCommand({ Bucket: bucket.bucket, Key: key }));
    expect(got.ContentType).toBe('application/pdf');
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(body)).toBe(true);
  });
});

describe('createTestBucket / drop', () => {
  it('names buckets by S3 rules: lowercase letters, digits and hyphens, 3 to 63 characters, unique', () => {
    const rule = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
    const prefixes = ['', 'x', 'Media Tests_1', '--a..b--', 'ÄÖÜ', 'xn--punycode', 'p'.repeat(100)];
    for (const prefix of prefixes) {
      const name = testBucketName(prefix);
      expect(name, prefix).toMatch(rule);
      expect(name, prefix).not.toMatch(/--/); // no `xn--` start, no `--ol-s3` end either
    }
    expect(testBucketName('Media Tests_1')).toMatch(/^media-tests-1-[0-9a-f]{12}$/);
    expect(testBucketName('media')).not.toBe(testBucketName('media'));
  });

  it('drops every object of every listing page, unfinished uploads and the bucket, and nothing is left on disk', async () => {
    const doomed = await createTestBucket('Infra Drop');
    expect(doomed).toMatchObject({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true });
    // The settings it hands out are enough for a client of the test's own.
    const own = new S3Client({
      endpoint: doomed.endpoint,
      region: doomed.region,
      forcePathStyle: doomed.forcePathStyle,
      credentials: { accessKeyId: doomed.accessKeyId, secretAccessKey: doomed.secretAccessKey },
    });
    try {
      // More than one page of ListObjectsV2 (1,000 keys), under nested prefixes.
      const keys = Array.from({ length: 1_003 }, (_, index) => `n/${index % 7}/object-${index}.txt`);
      for (let at = 0; at < keys.length; at += 50)
        await Promise.all(
          keys
            .slice(at, at + 50)
            .map((key) => own.send(new PutObjectCommand({ Bucket: doomed.bucket, Key: key, Body: key }))),
        );
      const upload = await own.send(
        new CreateMultipartUploadCommand({ Bucket: doomed.bucket, Key: 'big.bin' }),
      );
      await own.send(
        new UploadPartCommand({
          Bucket: doomed.bucket,
          Key: 'big.bin',
          UploadId: upload.UploadId,
          PartNumber: 1,
          Body: randomBytes(5 * 1024 * 1024),
        }),
      );
    } finally {
      own.destroy();
    }

    await doomed.drop();
    const head = await client
      .send(new HeadBucketCommand({ Bucket: doomed.bucket }))
      .catch((error: unknown) => error);
    expect(statusOf(head)).toBe(404);
    const names = (await client.send(new ListBucketsCommand({}))).Buckets?.map((found) => found.Name);
    expect(names).not.toContain(doomed.bucket);
    expect(existsSync(join(stackSettings().stackDir, 's3', 'data', doomed.bucket))).toBe(false);
    await doomed.drop(); // again: nothing to do
  }, 60_000);
});
