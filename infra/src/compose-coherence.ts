import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  activeServices,
  addressesIn,
  buildStage,
  type ComposeModel,
  isOneShotJob,
  listeningPorts,
  loadCompose,
  parseDotenv,
  publishedTargets,
  serviceEnv,
  serviceSource,
} from './compose-model.js';

/**
 * What `docker compose up` would run, checked without Docker for each profile: every address a container is
 * given names a service of that profile on a port it listens on (never 127.0.0.1, which is the container
 * itself), every published port is listened on, every `depends_on` waits for a healthcheck, and every Node
 * service's environment passes its own zod config (the schema in `services/<name>/src/config.ts`).
 */
export const composeProfiles = ['demo', 'live'] as const;

/** Values each profile is checked with: the root `.env.example`, its empty values filled in for `live`. */
export function profileDotenv(root: string, profile: string): Record<string, string> {
  const example = join(root, '.env.example');
  const listed = existsSync(example) ? parseDotenv(readFileSync(example, 'utf8')) : {};
  if (profile !== 'live') return {};
  return Object.fromEntries(
    Object.entries(listed).map(([key, value]) => [key, value || `${key.toLowerCase()}-from-dotenv`]),
  );
}

/** The Kafka listener a broker tells clients on the host about; it is not an address a container uses. */
const hostFacing = new Set(['KAFKA_ADVERTISED_LISTENERS']);
const loopback = new Set(['127.0.0.1', 'localhost', '0.0.0.0', '::1', '[::1]']);

/** `dotenv` replaces the checked `.env` (by default each profile's {@link profileDotenv}). */
export async function checkComposeCoherence(
  file: string,
  dotenv: (profile: string) => Record<string, string> = (profile) =>
    profileDotenv(dirname(resolve(file)), profile),
): Promise<string[]> {
  const problems: string[] = [];
  for (const profile of composeProfiles) {
    const model = loadCompose(file, dotenv(profile));
    const active = activeServices(model, profile);
    for (const name of active) {
      const where = `${name} (${profile})`;
      problems.push(...checkAddresses(model, name, active).map((problem) => `${where}: ${problem}`));
      problems.push(...checkDependencies(model, name, active).map((problem) => `${where}: ${problem}`));
      problems.push(...(await checkConfig(model, name)).map((problem) => `${where}: ${problem}`));
    }
  }
  return [...new Set(problems)];
}

function checkAddresses(model: ComposeModel, name: string, active: string[]): string[] {
  const problems: string[] = [];
  const service = model.services[name] ?? {};
  const ports = listeningPorts(model, name);
  for (const port of publishedTargets(service))
    if (!ports.includes(port)) problems.push(`publishes container port ${port}, which it does not listen on`);
  for (const [key, value] of Object.entries(serviceEnv(model, name))) {
    if (hostFacing.has(key)) continue;
    for (const address of addressesIn(value)) {
      if (loopback.has(address.host)) {
        problems.push(`${key}=${address.text} points at the container itself`);
      } else if (!address.host.includes('.')) {
        if (!active.includes(address.host)) {
          problems.push(`${key}=${address.text} names '${address.host}', which is not a service here`);
        } else if (
          address.port !== undefined &&
          !listeningPorts(model, address.host).includes(address.port)
        ) {
          problems.push(`${key}=${address.text}: ${address.host} does not listen on ${address.port}`);
        }
      }
    }
  }
  return problems;
}

function checkDependencies(model: ComposeModel, name: string, active: string[]): string[] {
  const dependsOn = model.services[name]?.depends_on ?? {};
  const conditions: Record<string, string | undefined> = Array.isArray(dependsOn)
    ? Object.fromEntries(dependsOn.map((dependency) => [dependency, undefined]))
    : Object.fromEntries(Object.entries(dependsOn).map(([key, value]) => [key, value?.condition]));
  const problems: string[] = [];
  for (const [dependency, condition] of Object.entries(conditions)) {
    if (!active.includes(dependency)) {
      problems.push(`depends_on '${dependency}', which does not run here`);
      continue;
    }
    if (isOneShotJob(model, dependency)) {
      // A job is ready when it has finished, and only if it succeeded.
      if (condition !== 'service_completed_successfully')
        problems.push(`depends_on job '${dependency}' without condition service_completed_successfully`);
      continue;
    }
    if (condition !== 'service_healthy')
      problems.push(`depends_on '${dependency}' without condition service_healthy (started is not ready)`);
    if (!hasHealthcheck(model, dependency))
      problems.push(`depends_on '${dependency}', which has no healthcheck`);
  }
  return problems;
}

function hasHealthcheck(model: ComposeModel, name: string): boolean {
  const healthcheck = model.services[name]?.healthcheck;
  if (healthcheck) return !healthcheck.disable && [healthcheck.test].flat()[0] !== 'NONE';
  return /^HEALTHCHECK\s+(?!NONE)/im.test(buildStage(model, name));
}

/** A Node service started with its own `src/main.ts` must satisfy its config's schema, as at boot. */
async function checkConfig(model: ComposeModel, name: string): Promise<string[]> {
  const source = serviceSource(model, name);
  if (!source || model.services[name]?.command) return [];
  const file = join(source.dir, 'src/config.ts');
  if (!existsSync(file)) return [`${file} does not exist`];
  const schema = await configSchema(file);
  if (!schema) return [`${file} exports no zod schema`];
  try {
    await loadServiceConfig(source.workspace, schema, serviceEnv(model, name));
    return [];
  } catch (error) {
    const problems = (error as { problems?: string[] }).problems;
    return problems ?? [String(error)];
  }
}

interface Schema {
  safeParse(value: unknown): unknown;
}

async function configSchema(file: string): Promise<Schema | undefined> {
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  return Object.values(module).find(
    (value): value is Schema => typeof (value as Schema | undefined)?.safeParse === 'function',
  );
}

/** The services' own loader (packages/shared), so "missing" means exactly what it means at boot. */
export async function loadServiceConfig(workspace: string, schema: unknown, env: Record<string, string>) {
  const shared = (await import(pathToFileURL(join(workspace, 'packages/shared/src/config.ts')).href)) as {
    loadConfig(schema: unknown, env: Record<string, string>): unknown;
  };
  return shared.loadConfig(schema, env);
}
