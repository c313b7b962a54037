import { describe, expect, it } from 'vitest';
import { invariantProblems } from '../src/checks.js';
import type { Loaded } from '../src/kustomize.js';
import { schemaProblems } from '../src/validate-schemas.js';
import { at, find, firstContainer, renderExample } from './render.js';

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
