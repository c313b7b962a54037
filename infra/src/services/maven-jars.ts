import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../processes.js';

/**
 * Resolves a pom's runtime dependencies into `libDir` with Maven (jars come from Maven Central, cached in ~/.m2).
 * Re-resolves only when the pom changed, so a warm `up` does not touch Maven at all.
 */
export function ensureJars(pomFile: string, libDir: string, progress: (message: string) => void): void {
  const pomHash = createHash('sha256').update(readFileSync(pomFile)).digest('hex');
  const stamp = join(libDir, '.pom-sha256');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === pomHash && readdirSync(libDir).length > 1) return;
  progress(`resolving jars from ${pomFile} with Maven`);
  rmSync(libDir, { recursive: true, force: true });
  mkdirSync(libDir, { recursive: true });
  run('mvn', [
    '-B',
    '-q',
    '-f',
    pomFile,
    'org.apache.maven.plugins:maven-dependency-plugin:3.7.1:copy-dependencies',
    '-DincludeScope=runtime',
    `-DoutputDirectory=${libDir}`,
  ]);
  writeFileSync(stamp, pomHash);
}
