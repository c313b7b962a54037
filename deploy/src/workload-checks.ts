import { type Manifest, podContainers } from './kustomize.js';

type Container = Record<string, unknown> & { name?: string };
const servers = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** Every long-running container answers a readiness and a liveness probe on a port it declares. */
export function probeProblems(object: Manifest): string[] {
  if (!servers.has(object.kind)) return []; // a Job's container runs to its end: nothing to route to or restart
  const pod = (object.spec as { template: { spec: { containers: Container[] } } }).template.spec;
  return pod.containers.flatMap((container) => {
    const where = `${object.kind} ${object.metadata.name} container ${container.name}`;
    const ports = ((container.ports as { name?: string; containerPort: number }[] | undefined) ?? []).flatMap(
      (port) => [port.name, port.containerPort],
    );
    return (['readinessProbe', 'livenessProbe'] as const).flatMap((probe) => {
      const spec = container[probe] as { httpGet?: { port: string | number } } | undefined;
      if (!spec) return [`${where}: no ${probe}`];
      if (spec.httpGet && !ports.includes(spec.httpGet.port))
        return [`${where}: ${probe} on port ${spec.httpGet.port}, which the container does not declare`];
      return [];
    });
  });
}

/** Every container, init containers and Jobs' included, requests and is limited in CPU and memory. */
export function resourceProblems(object: Manifest): string[] {
  return podContainers(object).flatMap((container: Container) => {
    const resources = (container.resources ?? {}) as Record<string, Record<string, unknown> | undefined>;
    return ['requests', 'limits'].flatMap((bound) =>
      ['cpu', 'memory']
        .filter((resource) => resources[bound]?.[resource] === undefined)
        .map(
          (resource) =>
            `${object.kind} ${object.metadata.name} container ${container.name}: no ${bound}.${resource}`,
        ),
    );
  });
}

/** No container may run as root: runAsNonRoot with a numeric non-zero user, from the pod or the container. */
export function nonRootProblems(object: Manifest): string[] {
  const pod = (
    object.spec as { template?: { spec?: { securityContext?: Record<string, unknown> } } } | undefined
  )?.template?.spec;
  if (!pod) return [];
  return podContainers(object).flatMap((container: Container) => {
    const context = {
      ...pod.securityContext,
      ...(container.securityContext as Record<string, unknown> | undefined),
    };
    const where = `${object.kind} ${object.metadata.name} container ${container.name}`;
    if (context.runAsNonRoot !== true) return [`${where}: runAsNonRoot is not true`];
    // The images name their user (`node`), which the kubelet cannot check against runAsNonRoot: a uid must be set.
    if (typeof context.runAsUser !== 'number' || context.runAsUser === 0)
      return [`${where}: no non-zero runAsUser`];
    if (context.allowPrivilegeEscalation !== false)
      return [`${where}: allowPrivilegeEscalation is not false`];
    return [];
  });
}
