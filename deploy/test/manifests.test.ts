import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { invariantProblems } from '../src/checks.js';
import { parseEnvFile, renderKustomization } from '../src/kustomize.js';
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
