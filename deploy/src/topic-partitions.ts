import { serviceConfig as adminConfig } from '../../services/admin/src/config.js';
import { serviceConfig as mediaConfig } from '../../services/media/src/config.js';
import { serviceConfig as notifyConfig } from '../../services/notify/src/config.js';
import { serviceConfig as routerConfig } from '../../services/router/src/config.js';
import { serviceConfig as webhookConfig } from '../../services/webhook/src/config.js';
import type { Manifest } from './kustomize.js';

/** The topics whose partitions bound a consumer group: the `webhook` log, and any agent's -in/-out/-error. */
export type TopicKind = 'webhook' | 'agent';

// The SDK creates an agent's topics with 3 partitions unless told otherwise (packages/agent-sdk/src/agent.ts,
// `createTopics`); agent-backend and bot-agent do not tell it.
const sdkDefaultPartitions = 3;

/** A service that may create the topic (first come, first served): its variable and the service's own default. */
interface Creator {
  deployment: string;
  variable?: string;
  fallback: number;
}
const defaultOf = (field: { parse(value: undefined): unknown }) => field.parse(undefined) as number;

// Who holds CREATE on which topic (packages/shared/src/kafka-access.ts) and the count each one creates it with.
const creators: Record<TopicKind, Creator[]> = {
  webhook: [
    {
      deployment: 'webhook',
      variable: 'WEBHOOK_TOPIC_PARTITIONS',
      fallback: defaultOf(webhookConfig.shape.WEBHOOK_TOPIC_PARTITIONS),
    },
    {
      deployment: 'router',
      variable: 'KAFKA_PARTITIONS',
      fallback: defaultOf(routerConfig.shape.KAFKA_PARTITIONS),
    },
    {
      deployment: 'notify',
      variable: 'KAFKA_PARTITIONS',
      fallback: defaultOf(notifyConfig.shape.KAFKA_PARTITIONS),
    },
  ],
  agent: [
    {
      deployment: 'admin',
      variable: 'AGENT_TOPIC_PARTITIONS',
      fallback: defaultOf(adminConfig.shape.AGENT_TOPIC_PARTITIONS),
    },
    {
      deployment: 'router',
      variable: 'KAFKA_PARTITIONS',
      fallback: defaultOf(routerConfig.shape.KAFKA_PARTITIONS),
    },
    {
      deployment: 'notify',
      variable: 'KAFKA_PARTITIONS',
      fallback: defaultOf(notifyConfig.shape.KAFKA_PARTITIONS),
    },
    {
      deployment: 'media',
      variable: 'KAFKA_PARTITIONS',
      fallback: defaultOf(mediaConfig.shape.KAFKA_PARTITIONS),
    },
    { deployment: 'agent-backend', fallback: sdkDefaultPartitions },
    { deployment: 'bot-agent', fallback: sdkDefaultPartitions },
  ],
};

/**
 * The topic of the group that limits each Kafka-consuming Deployment: the router's inbound group and notify's
 * conversation log read `webhook`; an agent's store or bot group reads its -in. (Groups that read every agent's
 * topics together, such as the router's outbound or media's, have many more partitions.)
 */
export const consumedTopic: Record<string, TopicKind> = {
  router: 'webhook',
  notify: 'webhook',
  'agent-backend': 'agent',
  'bot-agent': 'agent',
};

/** A variable as the Deployment's first container sees it: `env` over `envFrom` ConfigMaps (later ones win). */
export function deploymentEnv(manifests: Manifest[], deployment: Manifest): Record<string, string> {
  const pod = (deployment.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template
    .spec;
  const container = pod.containers[0] ?? {};
  const env: Record<string, string> = {};
  for (const source of (container.envFrom as { configMapRef?: { name: string } }[] | undefined) ?? []) {
    const configMap = manifests.find(
      (object) => object.kind === 'ConfigMap' && object.metadata.name === source.configMapRef?.name,
    );
    Object.assign(env, (configMap?.data as Record<string, string> | undefined) ?? {});
  }
  for (const entry of (container.env as { name: string; value?: string }[] | undefined) ?? [])
    if (entry.value !== undefined) env[entry.name] = entry.value;
  return env;
}

/**
 * The partitions a topic of this kind is sure to have: the least any deployed creator would give it, since any
 * of them may create it first. A bad number counts as 0 (no replica is then allowed, and the check reports it).
 */
export function topicPartitions(manifests: Manifest[], kind: TopicKind): number {
  const counts = creators[kind].flatMap((creator) => {
    const deployment = manifests.find(
      (object) => object.kind === 'Deployment' && object.metadata.name === creator.deployment,
    );
    if (!deployment) return [];
    const value = creator.variable ? deploymentEnv(manifests, deployment)[creator.variable] : undefined;
    if (value === undefined || value === '') return [creator.fallback];
    const count = Number(value);
    return [Number.isInteger(count) && count > 0 ? count : 0];
  });
  return Math.min(...counts);
}

/** Which kind a topic named in a KEDA trigger is, from the webhook's WEBHOOK_TOPIC and the agent suffixes. */
export function topicKind(manifests: Manifest[], topic: string): TopicKind | undefined {
  const webhook = manifests.find(
    (object) => object.kind === 'Deployment' && object.metadata.name === 'webhook',
  );
  const webhookTopic =
    (webhook && deploymentEnv(manifests, webhook).WEBHOOK_TOPIC) ||
    webhookConfig.shape.WEBHOOK_TOPIC.parse(undefined);
  if (topic === webhookTopic) return 'webhook';
  if (/-(in|out|error)$/.test(topic)) return 'agent';
  return undefined;
}
