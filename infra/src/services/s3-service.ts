import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, HeadBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { canConnect } from '../processes.js';
import { type StackS3, type StackSettings, stackS3 } from '../stack-settings.js';
import { ensureJars } from './maven-jars.js';
import { OwnedService } from './owned-service.js';
import type { UpOutcome } from './stack-service.js';

const mainClass = 'org.gaul.s3proxy.Main';

/** An S3 client for the stack's server (path-style, its key pair); `destroy()` it when done. */
export function stackS3Client(
  s3: Omit<StackS3, 'bucket'> = stackS3(),
  options: { timeoutMs?: number; maxAttempts?: number } = {},
): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.timeoutMs
      ? { requestHandler: { connectionTimeout: options.timeoutMs, requestTimeout: options.timeoutMs } }
      : {}),
  });
}

/**
 * S3Proxy (`org.gaul:s3proxy`, jars from Maven Central) on its filesystem backend: each bucket a folder of
 * `.stack/s3/data`, SigV2/SigV4 with one key pair (presigned URLs included), path-style addressing.
 */
export class S3Service extends OwnedService {
  private readonly s3: StackS3;

  constructor(private readonly settings: StackSettings) {
    const s3 = stackS3(settings);
    super({
      name: 's3',
      url: s3.endpoint,
      dir: join(settings.stackDir, 's3'),
      files: 's3',
      marker: mainClass,
      stopGraceMs: 10_000,
    });
    this.s3 = s3;
  }

  async up(progress: (message: string) => void): Promise<UpOutcome> {
    const outcome = await this.start(progress);
    await this.ensureBucket(progress);
    return outcome;
  }

  private async start(progress: (message: string) => void): Promise<UpOutcome> {
    if (await this.process.isRunning()) return 'already running';
    const { s3Host: host, s3Port: port } = this.settings;
    if (await canConnect(host, port)) {
      if (await this.answers()) return 'external';
      throw new Error(
        `s3: port ${port} is taken by something that does not answer S3 requests with the stack's key pair`,
      );
    }
    const dataDir = join(this.dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    const libDir = join(this.dir, 'lib');
    await ensureJars(join(this.settings.repoRoot, 'infra/s3/pom.xml'), libDir, progress);
    const config = join(this.dir, 's3proxy.conf');
    writeFileSync(
      config,
      [
        `s3proxy.endpoint=${this.s3.endpoint}`,
        's3proxy.authorization=aws-v2-or-v4',
        `s3proxy.identity=${this.s3.accessKeyId}`,
        `s3proxy.credential=${this.s3.secretAccessKey}`,
        'jclouds.provider=filesystem',
        `jclouds.filesystem.basedir=${dataDir}`,
        '',
      ].join('\n'),
    );
    progress('starting S3Proxy');
    const args = [
      '-Xms64m',
      // S3Proxy holds a SigV4-signed (not chunked) request body in memory to check its hash: room for a 100 MB file.
      '-Xmx384m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-XX:+ExitOnOutOfMemoryError',
      `-Dlogback.configurationFile=${join(this.settings.repoRoot, 'infra/s3/logback.xml')}`,
      '-cp',
      `${libDir}/*`,
      mainClass,
      '--properties',
      config,
    ];
    await this.process.start('java', args, 60_000);
    return 'started';
  }

  /** The development bucket; a parallel `up` of a private stack sharing this server may create it first. */
  private async ensureBucket(progress: (message: string) => void): Promise<void> {
    const client = stackS3Client(this.s3);
    try {
      const found = await client.send(new HeadBucketCommand({ Bucket: this.s3.bucket })).then(
        () => true,
        (error: { $metadata?: { httpStatusCode?: number } }) => {
          if (error.$metadata?.httpStatusCode === 404) return false;
          throw error;
        },
      );
      if (found) return;
      await client.send(new CreateBucketCommand({ Bucket: this.s3.bucket })).catch((error: Error) => {
        if (error.name !== 'BucketAlreadyOwnedByYou') throw error;
      });
      progress(`created bucket ${this.s3.bucket}`);
    } finally {
      client.destroy();
    }
  }

  /** A signed ListBuckets: the server is up and takes the stack's key pair (a TCP accept is not enough). */
  protected async answers(): Promise<boolean> {
    if (!(await canConnect(this.settings.s3Host, this.settings.s3Port))) return false;
    const client = stackS3Client(this.s3, { timeoutMs: 2000, maxAttempts: 1 });
    try {
      const reply = await client.send(new ListBucketsCommand({}));
      return reply.$metadata.httpStatusCode === 200;
    } catch {
      return false;
    } finally {
      client.destroy();
    }
  }
}
