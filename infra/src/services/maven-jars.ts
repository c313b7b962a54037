import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

// One Maven at a time (they share ~/.m2), and never a blocking one: `up` probes the other servers meanwhile,
// and a probe whose timer fires late because the event loop was held counts a running server as not answering.
let resolving: Promise<unknown> = Promise.resolve();

/**
 * Resolves a pom's runtime dependencies into `libDir` with Maven (jars come from Maven Central, cached in ~/.m2).
 * Re-resolves only when the pom changed, so a warm `up` does not touch Maven at all.
 */
export function ensureJars(
  pomFile: string,
  libDir: string,
  progress: (message: string) => void,
): Promise<void> {
  const pomHash = createHash('sha256').update(readFileSync(pomFile)).digest('hex');
  const stamp = join(libDir, '.pom-sha256');
  const resolved = () =>
    existsSync(stamp) && readFileSync(stamp, 'utf8') === pomHash && readdirSync(libDir).length > 1;
  if (resolved()) return Promise.resolve();
  const job = resolving.then(async () => {
    // The nodes of a Kafka cluster share one lib folder: the first one's Maven run serves the others.
    if (resolved()) return;
    progress(`resolving jars from ${pomFile} with Maven`);
    rmSync(libDir, { recursive: true, force: true });
    mkdirSync(libDir, { recursive: true });
    const args = [
      '-B',
      '-q',
      '-f',
      pomFile,
      'org.apache.maven.plugins:maven-dependency-plugin:3.7.1:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${libDir}`,
    ];
    await promisify(execFile)('mvn', args, { maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { code?: number | string; stdout?: string; stderr?: string; message: string }) => {
        throw new Error(
          `mvn ${args.join(' ')} exited with ${error.code}\n${error.stdout ?? ''}${error.stderr ?? error.message}`,
        );
      },
    );
    writeFileSync(stamp, pomHash);
  });
  resolving = job.catch(() => undefined);
  return job;
}
