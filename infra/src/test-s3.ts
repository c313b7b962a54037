import { randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { stackS3Client } from './services/s3-service.js';
import { stackS3 } from './stack-settings.js';

/** A bucket of one test on the stack's S3 server, with the settings an S3 client needs to reach it. */
export interface TestBucket {
  bucket: string;
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: true;
  /** Deletes every object (all pages), unfinished multipart uploads, then the bucket; again is a no-op. */
  drop(): Promise<void>;
}

/**
 * Creates a bucket with a unique name (`<prefix>-<12 random hex>`, S3's rules: lowercase letters, digits and
 * hyphens, 3–63 characters) on the stack's S3 server. Call `drop()` in `afterAll`, once nothing writes to it:
 * buckets left behind pile up as folders in `.stack/s3/data`, as topics once did in Kafka's.
 */
export async function createTestBucket(prefix = 'test'): Promise<TestBucket> {
  const s3 = stackS3();
  const bucket = testBucketName(prefix);
  const client = stackS3Client(s3);
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
  const { endpoint, region, accessKeyId, secretAccessKey } = s3;
  return {
    bucket,
    endpoint,
    region,
    accessKeyId,
    secretAccessKey,
    forcePathStyle: true,
    drop: () => dropBucket(bucket),
  };
}

/** `prefix` made a valid bucket name's start (`Media Tests_1` → `media-tests-1`), then 12 random hex digits. */
export function testBucketName(prefix = 'test'): string {
  const suffix = randomBytes(6).toString('hex');
  const start =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .slice(0, 63 - suffix.length - 1)
      .replace(/^-+|-+$/g, '') || 'test';
  return `${start}-${suffix}`;
}

async function dropBucket(bucket: string): Promise<void> {
  const client = stackS3Client();
  try {
    if (!(await abortUploads(client, bucket))) return;
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
      if (keys.length) {
        const result = await client.send(
          new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }),
        );
        if (result.Errors?.length)
          throw new Error(
            `s3: could not delete ${result.Errors.map((error) => `${error.Key} (${error.Code})`).join(', ')}`,
          );
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    await client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(ignoreNoSuchBucket);
  } finally {
    client.destroy();
  }
}

/** Aborts the bucket's unfinished multipart uploads; false when the bucket is already gone. */
async function abortUploads(client: S3Client, bucket: string): Promise<boolean> {
  for (;;) {
    const listing = await client
      .send(new ListMultipartUploadsCommand({ Bucket: bucket }))
      .catch(ignoreNoSuchBucket);
    if (!listing) return false;
    const uploads = listing.Uploads ?? [];
    for (const upload of uploads)
      await client.send(
        new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.Key, UploadId: upload.UploadId }),
      );
    if (!listing.IsTruncated || uploads.length === 0) return true;
  }
}

function ignoreNoSuchBucket(error: { name?: string }): undefined {
  if (error.name === 'NoSuchBucket') return undefined;
  throw error;
}
