import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { invariantProblems } from '../src/checks.js';
import { type Loaded, parseEnvFile, renderKustomization } from '../src/kustomize.js';
import { topicPartitions } from '../src/topic-partitions.js';
import { schemaProblems } from '../src/validate-schemas.js';
import { at, baseFolder, find, firstContainer, overlayFolder, renderExample } from './render.js';

const nodeServices = {
  webhook: 5000,
  router: 6100,
  admin: 8000,
  notify: 8100,
  media: 8300,
  'agent-backend': 7000,
  'bot-agent': 7200,
};
const services = [...Object.keys(nodeServices), 'agent-frontend'];

describe('the example overlay, rendered as kubectl apply -k would', () => {
  const loaded = renderExample();
  const manifests = loaded.map((entry) => entry.object);

  it('passes the Kubernetes, KEDA and Strimzi schemas, object by object', () => {
    const problems = loaded.flatMap(({ object, file }) =>
      schemaProblems(object).map((problem) => `${object.kind} ${object.metadata.name} (${file}): ${problem}`),
    );
    expect(problems).toEqual([]);
    expect(new Set(manifests.map((object) => object.kind))).toEqual(
      new Set([
        'Namespace',
        'ConfigMap',
        'Secret',
        'Deployment',
        'Service',
        'PodDisruptionBudget',
        'Job',
        'Ingress',
        'HorizontalPodAutoscaler',
        'ScaledObject',
        'TriggerAuthentication',
        'Kafka',
        'KafkaNodePool',
        'KafkaUser',
      ]),
    );
  });

  it('the base alone passes them too', () => {
    expect(renderKustomization(baseFolder).flatMap(({ object }) => schemaProblems(object))).toEqual([]);
  });

  it('holds every invariant: probes, limits, non-root, no secret literal, scalers within partitions', () => {
    expect(invariantProblems(loaded)).toEqual([]);
  });

  it('runs each service from its image with its probes, a PDB and its own namespace', () => {
    for (const service of services) {
      const container = firstContainer(loaded, service);
      expect(container.image).toBe(`wa-broker/${service}:0.1.0`);
      find(loaded, 'PodDisruptionBudget', service);
      find(loaded, 'Service', service);
      expect(find(loaded, 'Deployment', service).metadata.namespace).toBe('wa-broker');
    }
    for (const [service, port] of Object.entries(nodeServices)) {
      const container = firstContainer(loaded, service);
      expect(at(container, 'readinessProbe', 'httpGet').path).toBe('/readyz');
      expect(at(container, 'livenessProbe', 'httpGet').path).toBe('/healthz');
      expect(at(container, 'ports', 0).containerPort).toBe(port);
      expect(at(find(loaded, 'ConfigMap', `${service}-config`), 'data').PORT).toBe(String(port));
    }
    expect(at(firstContainer(loaded, 'agent-frontend'), 'readinessProbe', 'httpGet')).toMatchObject({
      path: '/',
      port: 'http',
    });
  });

  it('gives each service its own Kafka principal, its password from its own Secret', () => {
    const usernames = Object.keys(nodeServices).map(
      (service) => at(find(loaded, 'ConfigMap', `${service}-config`), 'data').KAFKA_USERNAME,
    );
    expect(new Set(usernames).size).toBe(usernames.length);
    for (const service of Object.keys(nodeServices))
      expect(Object.keys(at(find(loaded, 'Secret', `${service}-secrets`), 'data'))).toContain(
        'KAFKA_PASSWORD',
      );
  });

  it('runs the kafka-access setup as a Job of the admin image, as the cluster administrator', () => {
    const container = at(find(loaded, 'Job', 'kafka-access'), 'spec', 'template', 'spec', 'containers', 0);
    expect(container.image).toBe('wa-broker/admin:0.1.0');
    expect(container.command).toEqual(['node', '--import', 'tsx', 'src/kafka-access-cli.ts']);
    const env = container.env as { name: string; value?: string; valueFrom?: unknown }[];
    expect(env.find((entry) => entry.name === 'KAFKA_USERNAME')?.value).toBe('wa-broker-admin');
    expect(at(find(loaded, 'Kafka', 'wa-broker'), 'spec', 'kafka', 'authorization').superUsers).toEqual([
      'wa-broker-admin',
    ]);
    for (const service of ['WEBHOOK', 'ROUTER', 'ADMIN', 'NOTIFY', 'MEDIA'])
      expect(env.find((entry) => entry.name === `${service}_KAFKA_PASSWORD`)?.valueFrom).toHaveProperty(
        'secretKeyRef',
      );
  });

  it('names only Secrets and ConfigMaps that exist, or that Strimzi makes', () => {
    const madeByStrimzi = ['wa-broker-admin', 'wa-broker-cluster-ca-cert'];
    const names = (kind: string) =>
      new Set([
        ...manifests.filter((o) => o.kind === kind).map((o) => o.metadata.name),
        ...(kind === 'Secret' ? madeByStrimzi : []),
      ]);
    const references: [string, string][] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        for (const [key, kind] of [
          ['secretKeyRef', 'Secret'],
          ['secretRef', 'Secret'],
          ['configMapKeyRef', 'ConfigMap'],
          ['configMapRef', 'ConfigMap'],
        ] as const)
          if (record[key]) references.push([kind, (record[key] as { name: string }).name]);
        if (typeof record.secretName === 'string') references.push(['Secret', record.secretName]);
        Object.values(record).forEach(walk);
      }
    };
    manifests.filter((o) => o.kind !== 'Ingress').forEach(walk); // the Ingress' TLS Secret is the operator's
    expect(references.length).toBeGreaterThan(20);
    for (const [kind, name] of references) expect(names(kind), `${kind} ${name}`).toContain(name);
  });

  it('runs Kafka on 3 brokers, replication 3, min.insync.replicas 2, SCRAM-SHA-512 and ACLs', () => {
    const kafka = at(find(loaded, 'Kafka', 'wa-broker'), 'spec', 'kafka');
    const brokers = manifests
      .filter((o) => o.kind === 'KafkaNodePool' && (at(o, 'spec').roles as string[]).includes('broker'))
      .reduce((sum, pool) => sum + (at(pool, 'spec').replicas as number), 0);
    expect(brokers).toBe(3);
    expect(at(kafka, 'config')).toMatchObject({ 'default.replication.factor': 3, 'min.insync.replicas': 2 });
    expect(kafka.listeners).toEqual([expect.objectContaining({ authentication: { type: 'scram-sha-512' } })]);
    expect(at(kafka, 'authorization').type).toBe('simple');
  });

  it('scales the webhook by CPU and the consumers by their group lag, each trigger authenticated', () => {
    expect(
      at(find(loaded, 'HorizontalPodAutoscaler', 'webhook'), 'spec', 'metrics', 0, 'resource').name,
    ).toBe('cpu');
    for (const [name, group, topic] of [
      ['router', 'router-inbound', 'webhook'],
      ['agent-backend', 'agent_A:backend-store', 'agent_A-in'],
      ['bot-agent', 'Command_Bot:bot', 'Command_Bot-in'],
    ] as const) {
      const trigger = at(find(loaded, 'ScaledObject', name), 'spec', 'triggers', 0);
      expect(trigger.metadata).toMatchObject({ consumerGroup: group, topic, sasl: 'scram_sha512' });
      expect(at(trigger, 'authenticationRef').name).toBe(`${name}-kafka`);
      find(loaded, 'TriggerAuthentication', `${name}-kafka`);
    }
    expect(topicPartitions(manifests, 'webhook')).toBe(6);
    expect(topicPartitions(manifests, 'agent')).toBe(3);
  });
});

describe('the Secrets', () => {
  const kustomization = readFileSync(`${overlayFolder}/kustomization.yaml`, 'utf8');
  const files = [...kustomization.matchAll(/envs: \[(secrets\/[^\]]+)\]/g)].map(
    (match) => `${overlayFolder}/${match[1]}`,
  );

  it('come from git-ignored files, each with a committed .example listing its keys, all empty', () => {
    expect(files.length).toBe(7);
    for (const file of files) {
      expect(existsSync(`${file}.example`), file).toBe(true);
      // check-ignore exits 0 when git ignores the path (it need not exist).
      expect(() => execFileSync('git', ['check-ignore', '-q', file])).not.toThrow();
      expect(Object.values(parseEnvFile(readFileSync(`${file}.example`, 'utf8')))).toSatisfy(
        (values: string[]) => values.every((value) => value === ''),
      );
    }
  });
});

/** The invariants on a copy of the manifests changed by `change`: the failures a bad manifest must produce. */
function problemsAfter(change: (loaded: Loaded[]) => void): string[] {
  const loaded = structuredClone(renderExample());
  change(loaded);
  return invariantProblems(loaded);
}

describe('the invariant checks fail on a bad manifest', () => {
  it('a container without a readiness or a liveness probe', () => {
    expect(problemsAfter((l) => delete firstContainer(l, 'router').readinessProbe)).toEqual([
      'Deployment router container router: no readinessProbe',
    ]);
    expect(problemsAfter((l) => delete firstContainer(l, 'agent-frontend').livenessProbe)).toEqual([
      'Deployment agent-frontend container agent-frontend: no livenessProbe',
    ]);
    expect(
      problemsAfter((l) => {
        at(firstContainer(l, 'admin'), 'readinessProbe', 'httpGet').port = 'metrics';
      }),
    ).toEqual([
      'Deployment admin container admin: readinessProbe on port metrics, which the container does not declare',
    ]);
  });

  it('a container without resource limits or requests, a Job included', () => {
    expect(problemsAfter((l) => delete at(firstContainer(l, 'webhook'), 'resources').limits)).toEqual([
      'Deployment webhook container webhook: no limits.cpu',
      'Deployment webhook container webhook: no limits.memory',
    ]);
    expect(
      problemsAfter(
        (l) =>
          delete at(
            find(l, 'Job', 'kafka-access'),
            'spec',
            'template',
            'spec',
            'containers',
            0,
            'resources',
            'requests',
          ).memory,
      ),
    ).toEqual(['Job kafka-access container kafka-access: no requests.memory']);
  });

  it('a container that may run as root', () => {
    expect(
      problemsAfter((l) => {
        at(find(l, 'Deployment', 'media'), 'spec', 'template', 'spec', 'securityContext').runAsUser = 0;
      }),
    ).toEqual(['Deployment media container media: no non-zero runAsUser']);
  });

  it('a secret literal: an env value, a ConfigMap key, a URL with a password, a Secret with a value', () => {
    const literal = problemsAfter(
      (l) => (firstContainer(l, 'router').env = [{ name: 'GRAPH_API_TOKEN', value: 'EAAG…' }]),
    );
    expect(literal).toEqual([
      expect.stringMatching(/^Deployment router .*: env GRAPH_API_TOKEN has a literal value$/),
    ]);
    const configMap = problemsAfter((l) => {
      at(find(l, 'ConfigMap', 'admin-config'), 'data').ADMIN_API_KEYS = 'k'.repeat(16);
    });
    expect(configMap).toEqual([expect.stringMatching(/ConfigMap key ADMIN_API_KEYS looks like a secret$/)]);
    const url = problemsAfter((l) => {
      at(find(l, 'ConfigMap', 'notify-config'), 'data').DATABASE_URL = 'postgres://wa:hunter2@db:5432/wa';
    });
    expect(url).toEqual([expect.stringMatching(/^ConfigMap notify-config .*: a URL with a password$/)]);
    const secret = problemsAfter((l) => {
      at(find(l, 'Secret', 'webhook-secrets'), 'data').META_APP_SECRETS =
        Buffer.from('abc').toString('base64');
    });
    expect(secret).toEqual([
      expect.stringMatching(/^Secret webhook-secrets .*: data.META_APP_SECRETS holds a value$/),
    ]);
  });

  it('a scaler above the partitions of the topic it consumes', () => {
    expect(
      problemsAfter((l) => {
        at(find(l, 'ScaledObject', 'router'), 'spec').maxReplicaCount = 7;
      }),
    ).toEqual(['ScaledObject router: up to 7 replicas, but the webhook topic has 6 partitions']);
    expect(
      problemsAfter((l) => delete at(find(l, 'ScaledObject', 'agent-backend'), 'spec').maxReplicaCount),
    ).toEqual(['ScaledObject agent-backend: up to 100 replicas, but the agent topic has 3 partitions']);
    expect(
      problemsAfter((l) => {
        at(find(l, 'HorizontalPodAutoscaler', 'webhook'), 'spec', 'scaleTargetRef').name = 'router';
      }),
    ).toEqual(['HorizontalPodAutoscaler webhook: up to 10 replicas, but the webhook topic has 6 partitions']);
    expect(
      problemsAfter(
        (l) => delete at(find(l, 'ScaledObject', 'bot-agent'), 'spec', 'triggers', 0, 'metadata').topic,
      ),
    ).toEqual(['ScaledObject bot-agent: a kafka trigger without a topic']);
  });

  it('the partitions follow the ConfigMaps, and the least of every service that may create the topic', () => {
    expect(
      problemsAfter((l) => {
        at(find(l, 'ConfigMap', 'wa-broker-common'), 'data').WEBHOOK_TOPIC_PARTITIONS = '4';
      }),
    ).toEqual(['ScaledObject router: up to 6 replicas, but the webhook topic has 4 partitions']);
    // Without its KAFKA_PARTITIONS the router may create `webhook` first with its default 3.
    expect(
      problemsAfter((l) => delete at(find(l, 'ConfigMap', 'router-config'), 'data').KAFKA_PARTITIONS),
    ).toEqual(['ScaledObject router: up to 6 replicas, but the webhook topic has 3 partitions']);
    expect(
      problemsAfter((l) => {
        at(find(l, 'ConfigMap', 'wa-broker-common'), 'data').AGENT_TOPIC_PARTITIONS = '2';
      }),
    ).toEqual([
      'ScaledObject agent-backend: up to 3 replicas, but the agent topic has 2 partitions',
      'ScaledObject bot-agent: up to 3 replicas, but the agent topic has 2 partitions',
    ]);
  });
});

describe('the schema checks fail on a bad object', () => {
  const loaded = renderExample();
  const changed = (kind: string, name: string, change: (object: Record<string, unknown>) => void) => {
    const object = structuredClone(find(loaded, kind, name));
    change(object);
    return schemaProblems(object);
  };

  it('a Kubernetes object of the wrong shape', () => {
    expect(
      changed('Deployment', 'router', (o) => {
        at(o, 'spec', 'template', 'spec', 'containers', 0).resources = { limits: 'lots' };
      }),
    ).not.toEqual([]);
    expect(changed('PodDisruptionBudget', 'router', (o) => delete at(o, 'spec').selector)).toEqual([]); // optional in the API
    expect(
      changed('Service', 'router', (o) => {
        at(o, 'spec', 'ports', 0).port = 'http';
      }),
    ).not.toEqual([]);
  });

  it('a KEDA object of the wrong shape', () => {
    expect(
      changed('ScaledObject', 'router', (o) => {
        at(o, 'spec').maxReplicaCount = 'six';
      }),
    ).not.toEqual([]);
    expect(changed('ScaledObject', 'router', (o) => delete at(o, 'spec').scaleTargetRef)).not.toEqual([]);
    expect(
      changed('TriggerAuthentication', 'router-kafka', (o) => delete at(o, 'spec', 'secretTargetRef', 0).key),
    ).not.toEqual([]);
  });

  it('a Strimzi object of the wrong shape, a misspelt field included', () => {
    expect(
      changed('Kafka', 'wa-broker', (o) => {
        at(o, 'spec', 'kafka', 'authorization').type = 'acl';
      }),
    ).toEqual([
      expect.stringMatching(/^\/spec\/kafka\/authorization\/type must be equal to one of the allowed values/),
    ]);
    expect(
      changed('KafkaNodePool', 'dual-role', (o) => {
        at(o, 'spec').replica = 3;
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/spec must NOT have additional properties .*replica"/),
      ]),
    );
    expect(changed('Kafka', 'wa-broker', (o) => delete at(o, 'spec', 'kafka', 'listeners', 0).tls)).toEqual([
      expect.stringMatching(/must have required property 'tls'/),
    ]);
    expect(
      changed('KafkaUser', 'wa-broker-admin', (o) => {
        at(o, 'spec', 'authentication').type = 'scram-sha-256';
      }),
    ).not.toEqual([]);
  });

  it('a kind nothing validates', () => {
    expect(schemaProblems({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' } })).toEqual([
      'no schema for apps/v1 StatefulSet',
    ]);
  });
});
