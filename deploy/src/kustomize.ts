import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** One Kubernetes object as written in a manifest, and the file it came from (for messages). */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}
export interface Loaded {
  object: Manifest;
  file: string;
}

// What this renderer does of kustomize. Any other field fails the render: kubectl/kustomize cannot run here, and
// a field we skipped silently would make the test check something other than what `kubectl apply -k` applies.
const supported = new Set([
  'apiVersion',
  'kind',
  'resources',
  'namespace',
  'images',
  'generatorOptions',
  'secretGenerator',
]);

interface Kustomization {
  resources?: string[];
  namespace?: string;
  images?: { name: string; newName?: string; newTag?: string }[];
  generatorOptions?: { disableNameSuffixHash?: boolean };
  secretGenerator?: { name: string; envs?: string[]; type?: string }[];
}

/**
 * Builds a kustomization folder as `kubectl kustomize` would for the fields we use: resources (files and
 * folders, recursively), namespace, image tags and Secrets from env files. `envFile` maps a generator's env file
 * to the one to read: the real files are git-ignored, the test reads their committed `.example` twins.
 */
export function renderKustomization(
  folder: string,
  envFile: (path: string) => string = (path) => path,
): Loaded[] {
  const kustomization = readKustomization(folder);
  const loaded: Loaded[] = [];
  for (const resource of kustomization.resources ?? []) {
    const path = resolve(folder, resource);
    if (existsSync(join(path, 'kustomization.yaml'))) loaded.push(...renderKustomization(path, envFile));
    else loaded.push(...loadFile(path));
  }
  for (const generator of kustomization.secretGenerator ?? [])
    loaded.push(generateSecret(folder, generator, kustomization, envFile));
  for (const { object } of loaded) {
    if (kustomization.namespace && object.kind !== 'Namespace')
      object.metadata.namespace = kustomization.namespace;
    for (const image of kustomization.images ?? []) retagImages(object, image);
  }
  return loaded;
}

function readKustomization(folder: string): Kustomization {
  const file = join(folder, 'kustomization.yaml');
  const parsed = parseAllDocuments(readFileSync(file, 'utf8'))[0]?.toJS() as Record<string, unknown>;
  const unknown = Object.keys(parsed).filter((key) => !supported.has(key));
  if (unknown.length > 0)
    throw new Error(`${file}: fields this renderer does not apply: ${unknown.join(', ')}`);
  return parsed as Kustomization;
}

export function loadFile(file: string): Loaded[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
    const object = document.toJS() as Manifest | null;
    return object ? [{ object, file }] : [];
  });
}

/** `KEY=value` lines as kustomize reads them: `#` comments and blank lines skipped, the value taken as is. */
export function parseEnvFile(text: string): Record<string, string> {
  const entries: [string, string][] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const equals = trimmed.indexOf('=');
    if (equals < 1) throw new Error(`not KEY=value: ${trimmed}`);
    entries.push([trimmed.slice(0, equals), trimmed.slice(equals + 1)]);
  }
  return Object.fromEntries(entries);
}

function generateSecret(
  folder: string,
  generator: { name: string; envs?: string[]; type?: string },
  kustomization: Kustomization,
  envFile: (path: string) => string,
): Loaded {
  if (!kustomization.generatorOptions?.disableNameSuffixHash)
    throw new Error(
      `${folder}: hashed generator names are not rendered (the KEDA and Job references name them)`,
    );
  const files = (generator.envs ?? []).map((env) => envFile(resolve(folder, env)));
  const values = Object.assign({}, ...files.map((file) => parseEnvFile(readFileSync(file, 'utf8'))));
  const data = Object.fromEntries(
    Object.entries(values as Record<string, string>).map(([key, value]) => [
      key,
      Buffer.from(value).toString('base64'),
    ]),
  );
  return {
    object: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: generator.name },
      type: generator.type ?? 'Opaque',
      data,
    },
    file: files.join(', '),
  };
}

function retagImages(object: Manifest, image: { name: string; newName?: string; newTag?: string }): void {
  for (const container of podContainers(object)) {
    const current = container.image;
    if (typeof current !== 'string' || current.split(':')[0] !== image.name) continue;
    const tag = image.newTag ?? current.split(':')[1];
    container.image = `${image.newName ?? image.name}${tag ? `:${tag}` : ''}`;
  }
}

/** Containers of a workload's pod template (Deployment, Job) and their init containers; none for other kinds. */
export function podContainers(object: Manifest): Record<string, unknown>[] {
  const spec = object.spec as { template?: { spec?: Record<string, unknown> } } | undefined;
  const pod = spec?.template?.spec;
  if (!pod) return [];
  return [...((pod.initContainers as []) ?? []), ...((pod.containers as []) ?? [])];
}

export const kubernetesFolder = resolve(dirname(new URL(import.meta.url).pathname), '../kubernetes');
