import type { Loaded } from './kustomize.js';
import { scalerProblems } from './scaler-checks.js';
import { secretLiteralProblems } from './secret-checks.js';
import { nonRootProblems, probeProblems, resourceProblems } from './workload-checks.js';

/** Every invariant over a rendered set of manifests; an empty list when all hold. */
export function invariantProblems(loaded: Loaded[]): string[] {
  const manifests = loaded.map((entry) => entry.object);
  return loaded.flatMap((entry) => [
    ...probeProblems(entry.object),
    ...resourceProblems(entry.object),
    ...nonRootProblems(entry.object),
    ...secretLiteralProblems(entry),
    ...scalerProblems(manifests, entry.object),
  ]);
}
