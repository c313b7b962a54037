import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { checkComposeCoherence } from './compose-coherence.js';

/**
 * Validates docker-compose.yaml without a Docker engine: dclint checks it against the current compose schema,
 * then this checks what the schema cannot: every depends_on, build context, Dockerfile, build target and env_file exists,
 * and what each profile would run is coherent (compose-coherence.ts).
 */
interface ComposeService {
  build?: string | { context?: string; dockerfile?: string; target?: string; args?: Record<string, string> };
  depends_on?: string[] | Record<string, unknown>;
  env_file?: string | string[];
}

export function checkComposeReferences(file: string): string[] {
  const root = dirname(resolve(file));
  const compose = parse(readFileSync(file, 'utf8'), { merge: true }) as {
    services?: Record<string, ComposeService>;
  };
  const services = compose.services ?? {};
  const problems: string[] = [];
  for (const [name, service] of Object.entries(services)) {
    const dependencies = Array.isArray(service.depends_on)
      ? service.depends_on
      : Object.keys(service.depends_on ?? {});
    for (const dependency of dependencies) {
      if (!services[dependency]) problems.push(`${name}: depends_on '${dependency}', which is not a service`);
    }
    for (const envFile of [service.env_file ?? []].flat()) {
      if (!existsSync(resolve(root, envFile))) problems.push(`${name}: env_file ${envFile} does not exist`);
    }
    const build = typeof service.build === 'string' ? { context: service.build } : service.build;
    if (!build) continue;
    const context = resolve(root, build.context ?? '.');
    if (!existsSync(context)) {
      problems.push(`${name}: build context ${build.context} does not exist`);
      continue;
    }
    const dockerfile = resolve(context, build.dockerfile ?? 'Dockerfile');
    if (!existsSync(dockerfile)) {
      problems.push(`${name}: Dockerfile ${dockerfile} does not exist`);
      continue;
    }
    const text = readFileSync(dockerfile, 'utf8');
    if (build.target && !new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${build.target}\\s*$`, 'im').test(text)) {
      problems.push(
        `${name}: build target '${build.target}' is not a stage of ${build.dockerfile ?? 'Dockerfile'}`,
      );
    }
    const serviceArg = build.args?.SERVICE;
    if (serviceArg && !existsSync(resolve(context, 'services', serviceArg, 'package.json'))) {
      problems.push(`${name}: build arg SERVICE=${serviceArg} names no folder under services/`);
    }
  }
  return problems;
}

async function main(file: string): Promise<number> {
  const lint = spawnSync('dclint', ['-q', '--color', 'false', file], { encoding: 'utf8' });
  if (lint.status !== 0) {
    console.error(`dclint rejected ${file}:\n${lint.stdout}${lint.stderr}`);
    return 1;
  }
  const problems = checkComposeReferences(file);
  if (problems.length === 0) problems.push(...(await checkComposeCoherence(file)));
  for (const problem of problems) console.error(`compose: ${problem}`);
  if (problems.length === 0)
    console.log(
      `compose: ${file} is valid (schema, references, and each profile's hosts, ports, health, config)`,
    );
  return problems.length ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  process.exit(await main(process.argv[2] ?? '../docker-compose.yaml'));
}
