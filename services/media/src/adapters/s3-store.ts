import type { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  type MediaFailure,
  type MediaObject,
  type MediaStore,
  RangeNotSatisfiableError,
  type StoredMediaInfo,
} from '../domain/ports.js';

export interface S3Settings {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    // The SDK's default checksums add trailers some S3-compatible servers reject; S3 computes its own.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  }
}

const failureKey = (key: string) => `failures/${key}`;

/**
 * Files as S3 objects under `media/<number>/<media id>` (media-access.ts), their facts in the object's user
 * metadata, so one HEAD answers "stored?", "whose?" and "what type?". A failure is a small JSON object beside.
 */
export function createS3MediaStore(client: S3Client, bucket: string): MediaStore {
  return {
    async head(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return infoOf(head.Metadata, head.ContentType, head.ContentLength);
      } catch (error) {
        if (statusOf(error) === 404) return null;
        throw error;
      }
    },
    async put(key, bytes, info) {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            IfNoneMatch: '*',
            Body: bytes,
            ContentLength: bytes.length,
            ContentType: info.mimeType,
            Metadata: {
              owner: info.owner,
              sha256: info.sha256,
              direction: info.direction,
              // S3 metadata is ASCII: a filename is kept URI-encoded.
              ...(info.filename ? { filename: encodeURIComponent(info.filename) } : {}),
            },
          }),
        );
        return true;
      } catch (error) {
        // 412: another write got there first; 409: S3 saw two conditional writes at once.
        const status = statusOf(error);
        if (status === 412 || status === 409) return false;
        throw error;
      }
    },
    async get(key, range) {
      try {
        const object = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, ...(range ? { Range: range } : {}) }),
        );
        const contentLength = object.ContentLength ?? 0;
        const result: MediaObject = {
          info: infoOf(object.Metadata, object.ContentType, totalOf(object.ContentRange) ?? contentLength),
          body: object.Body as Readable,
          contentLength,
          ...(object.ETag ? { etag: object.ETag } : {}),
        };
        const parsed = parseContentRange(object.ContentRange);
        return parsed ? { ...result, range: parsed } : result;
      } catch (error) {
        const status = statusOf(error);
        if (status === 404) return null;
        if (status === 416) {
          const head = await this.head(key);
          throw new RangeNotSatisfiableError(head?.size ?? 0);
        }
        throw error;
      }
    },
    async failure(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: failureKey(key) }));
        return JSON.parse((await object.Body?.transformToString('utf8')) ?? '{}') as MediaFailure;
      } catch (error) {
        if (statusOf(error) === 404) return null;
        throw error;
      }
    },
    async recordFailure(key, failure) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: failureKey(key),
          Body: JSON.stringify(failure),
          ContentType: 'application/json',
        }),
      );
    },
    async sweep(cutoff) {
      let deleted = 0;
      for (const prefix of ['media/', 'failures/']) {
        let token: string | undefined;
        do {
          const page = await client.send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: prefix,
              ...(token ? { ContinuationToken: token } : {}),
            }),
          );
          const old = (page.Contents ?? []).filter((o) => o.Key && o.LastModified && o.LastModified < cutoff);
          if (old.length > 0) {
            await client.send(
              new DeleteObjectsCommand({
                Bucket: bucket,
                Delete: { Objects: old.map((o) => ({ Key: o.Key })) },
              }),
            );
            deleted += old.length;
          }
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      }
      return deleted;
    },
  };
}

function infoOf(
  metadata: Record<string, string> | undefined,
  contentType: string | undefined,
  size: number | undefined,
): StoredMediaInfo {
  const meta = metadata ?? {};
  return {
    owner: meta.owner ?? '',
    mimeType: contentType ?? 'application/octet-stream',
    size: size ?? 0,
    sha256: meta.sha256 ?? '',
    ...(meta.filename ? { filename: safeDecode(meta.filename) } : {}),
    direction: meta.direction === 'outbound' ? 'outbound' : 'inbound',
  };
}

const safeDecode = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

function parseContentRange(
  header: string | undefined,
): { start: number; end: number; total: number } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header ?? '');
  return match ? { start: Number(match[1]), end: Number(match[2]), total: Number(match[3]) } : undefined;
}

const totalOf = (header: string | undefined) => parseContentRange(header)?.total;

function statusOf(error: unknown): number | undefined {
  if (error instanceof S3ServiceException) return error.$metadata.httpStatusCode;
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}
