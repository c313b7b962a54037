import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';

/**
 * docker-compose.yaml read the way `docker compose` reads it, without a Docker engine: YAML merge keys,
 * `${VAR}` interpolation from the project's `.env`, profiles, and each service's environment (its env files in
 * order, then `environment`). The compose check and the compose e2e both start from this.
 */
export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; target?: string; args?: Record<string, string> };
  command?: string | string[];
  /** `"no"` with a command: a one-shot job others wait for with `service_completed_successfully`. */
  restart?: string;
  profiles?: string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  env_file?: string | (string | { path: string; required?: boolean })[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | { target: number })[];
  expose?: (string | number)[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
}

export interface ComposeModel {
  /** The folder of the compose file: build contexts and env files are relative to it. */
  root: string;
  services: Record<string, ComposeService>;
}

/** Reads the compose file; `dotenv` stands for the project's `.env` (interpolation source). */
export function loadCompose(file: string, dotenv: Record<string, string> = {}): ComposeModel {
  const raw = parse(readFileSync(file, 'utf8'), { merge: true }) as { services?: Record<string, unknown> };
  const services = interpolateAll(raw.services ?? {}, dotenv) as Record<string, ComposeService>;
  return { root: dirname(resolve(file)), services };
}

/** The services `docker compose [--profile <profile>] up` starts: those without profiles, and the profile's. */
export function activeServices(model: ComposeModel, profile?: string): string[] {
  return Object.entries(model.services)
    .filter(([, service]) => !service.profiles?.length || (profile && service.profiles.includes(profile)))
    .map(([name]) => name);
}

/** What the container's process sees: every env file in order, then `environment` (which wins). */
export function serviceEnv(model: ComposeModel, name: string): Record<string, string> {
  const service = model.services[name];
  if (!service) throw new Error(`compose has no service '${name}'`);
  const env: Record<string, string> = {};
  for (const entry of [service.env_file ?? []].flat()) {
    const { path, required } = typeof entry === 'string' ? { path: entry, required: true } : entry;
    const file = resolve(model.root, path);
    if (!existsSync(file) && required === false) continue;
    Object.assign(env, parseDotenv(readFileSync(file, 'utf8')));
  }
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    for (const line of environment) {
      const at = line.indexOf('=');
      if (at > 0) env[line.slice(0, at)] = line.slice(at + 1);
    }
  } else {
    for (const [key, value] of Object.entries(environment)) env[key] = value === null ? '' : String(value);
  }
  return env;
}

/** The Dockerfile stage a service is built from, as text (empty for an image). */
export function buildStage(model: ComposeModel, name: string): string {
  const build = model.services[name]?.build;
  if (!build) return '';
  const {
    context = '.',
    dockerfile = 'Dockerfile',
    target,
  } = typeof build === 'string' ? { context: build } : build;
  const text = readFileSync(resolve(model.root, context, dockerfile), 'utf8');
  const stages = text.split(/^(?=FROM\s)/im);
  if (!target) return stages.at(-1) ?? '';
  return stages.find((stage) => new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${target}\\s*$`, 'im').test(stage)) ?? '';
}

/** The workspace a Node service is built from (its build context) and its `services/<SERVICE>` folder. */
export function serviceSource(
  model: ComposeModel,
  name: string,
): { workspace: string; dir: string } | undefined {
  const build = model.services[name]?.build;
  const folder = typeof build === 'object' ? build.args?.SERVICE : undefined;
  if (typeof build !== 'object' || !folder) return undefined;
  const workspace = resolve(model.root, build.context ?? '.');
  return { workspace, dir: join(workspace, 'services', folder) };
}

/**
 * The ports a service listens on inside its container: `expose`, the container side of `ports`, and the
 * `PORT` / `*_PORT` variables the Node services bind to.
 */
export function listeningPorts(model: ComposeModel, name: string): number[] {
  const service = model.services[name] ?? {};
  const ports = new Set<number>();
  for (const port of service.expose ?? []) ports.add(Number(port));
  for (const [key, value] of Object.entries(serviceEnv(model, name)))
    if (/(^|_)PORT$/.test(key) && /^\d+$/.test(value)) ports.add(Number(value));
  return [...ports];
}

/** The container side of each `ports` entry (`127.0.0.1:3000:8080` → 8080). */
export function publishedTargets(service: ComposeService): number[] {
  return (service.ports ?? []).map((entry) =>
    typeof entry === 'object' ? entry.target : Number(String(entry).split(':').at(-1)?.split('/')[0]),
  );
}

export interface Address {
  host: string;
  port?: number;
  /** Where it was found, e.g. `mongodb://mongo:27017/wa_agent`. */
  text: string;
}

const defaultPorts: Record<string, number> = {
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
  redis: 6379,
  mongodb: 27017,
  postgres: 5432,
  postgresql: 5432,
};

/**
 * Network addresses in a variable's value: URLs (`scheme://[user@]host[:port]/…`) and `host:port` items of a
 * comma-separated list (KAFKA_BROKERS). Anything else (names, texts, versions) is not an address.
 */
export function addressesIn(value: string): Address[] {
  return value.split(',').flatMap((item): Address[] => {
    const text = item.trim();
    const url = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/]*@)?([^:/?#]*)(?::(\d+))?/i.exec(text);
    if (url) {
      const [, scheme = '', host = '', port] = url;
      if (!host) return [];
      const known = port ? Number(port) : defaultPorts[scheme.toLowerCase()];
      return [{ host, ...(known ? { port: known } : {}), text }];
    }
    const pair = /^(?:[^@\s]+@)?([A-Za-z0-9._-]+):(\d+)$/.exec(text);
    return pair ? [{ host: pair[1] ?? '', port: Number(pair[2]), text }] : [];
  });
}

/** A dotenv file as docker compose reads it: `KEY=value`, `#` comments, optional quotes. */
export function parseDotenv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, key = '', rest = ''] = match;
    const quoted = /^(["'])(.*)\1\s*(?:#.*)?$/.exec(rest);
    // Unquoted, a comment starts at a `#` after whitespace (`#exit` as the value stays a value).
    env[key] = quoted ? (quoted[2] ?? '') : rest.replace(/\s+#.*$/, '').trim();
  }
  return env;
}

/** `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `$VAR` and `$$`, as compose interpolates. */
export function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(
    /\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_whole, escaped: string, braced?: string, operator?: string, operand?: string, bare?: string) => {
      if (escaped === '$') return '$';
      const name = braced ?? bare ?? '';
      const value = vars[name];
      const missing = operator?.startsWith(':') ? !value : value === undefined;
      if (!missing) return value ?? '';
      if (operator?.endsWith('?')) throw new Error(`compose: required variable ${name}: ${operand ?? ''}`);
      return operator ? (operand ?? '') : '';
    },
  );
}

function interpolateAll(value: unknown, vars: Record<string, string>): unknown {
  if (typeof value === 'string') return interpolate(value, vars);
  if (Array.isArray(value)) return value.map((item) => interpolateAll(item, vars));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateAll(item, vars)]));
  return value;
}

/** A one-shot job (runs its command once, e.g. kafka-access): `restart: "no"` and a command of its own. */
export function isOneShotJob(model: ComposeModel, name: string): boolean {
  const service = model.services[name];
  return service?.restart === 'no' && service.command !== undefined;
}
