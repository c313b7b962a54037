import { join } from 'node:path';
import { kubernetesFolder, type Loaded, type Manifest, renderKustomization } from '../src/kustomize.js';

export const overlayFolder = join(kubernetesFolder, 'overlays/example');
export const baseFolder = join(kubernetesFolder, 'base');

/** The example overlay as `kubectl apply -k` would apply it, its git-ignored Secrets read from the .example files. */
export function renderExample(): Loaded[] {
  return renderKustomization(overlayFolder, (path) => `${path}.example`);
}

export type Json = Record<string, unknown>;

export function find(loaded: Loaded[], kind: string, name: string): Manifest {
  const entry = loaded.find(
    (candidate) => candidate.object.kind === kind && candidate.object.metadata.name === name,
  );
  if (!entry) throw new Error(`no ${kind} ${name}`);
  return entry.object;
}

/** The object at a path of keys and indexes (throws when absent, so a test never mutates a copy by mistake). */
export function at(object: unknown, ...path: (string | number)[]): Json {
  let node = object;
  for (const key of path) {
    node = (node as Record<string | number, unknown> | undefined)?.[key];
    if (node === undefined) throw new Error(`nothing at ${path.join('.')}`);
  }
  return node as Json;
}

export const firstContainer = (loaded: Loaded[], deployment: string) =>
  at(find(loaded, 'Deployment', deployment), 'spec', 'template', 'spec', 'containers', 0);
