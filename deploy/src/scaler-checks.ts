import type { Manifest } from './kustomize.js';
import { consumedTopic, type TopicKind, topicKind, topicPartitions } from './topic-partitions.js';

// KEDA's maxReplicaCount when a ScaledObject leaves it out.
const kedaDefaultMax = 100;

/**
 * No autoscaler may add consumers past the partitions of the topic they read: Kafka gives each partition to one
 * member of a group, so the extra replicas idle while the lag that called them stays. Checked for KEDA's Kafka
 * triggers (their topic) and for any ScaledObject or HPA whose target is a Kafka consumer (consumedTopic).
 */
export function scalerProblems(manifests: Manifest[], object: Manifest): string[] {
  if (object.kind === 'ScaledObject') {
    const spec = object.spec as {
      scaleTargetRef: { name: string };
      maxReplicaCount?: number;
      triggers: { type: string; metadata?: Record<string, string> }[];
    };
    const max = spec.maxReplicaCount ?? kedaDefaultMax;
    const kinds: (TopicKind | undefined)[] = [consumedTopic[spec.scaleTargetRef.name]];
    const problems: string[] = [];
    for (const trigger of spec.triggers.filter((candidate) => candidate.type === 'kafka')) {
      const topic = trigger.metadata?.topic;
      // Without a topic KEDA sums the lag of every topic the group reads: the bound cannot be told.
      if (!topic) problems.push(`ScaledObject ${object.metadata.name}: a kafka trigger without a topic`);
      else if (!topicKind(manifests, topic))
        problems.push(`ScaledObject ${object.metadata.name}: no known partition count for topic ${topic}`);
      else kinds.push(topicKind(manifests, topic));
    }
    return [
      ...problems,
      ...boundProblems(manifests, `ScaledObject ${object.metadata.name}`, max, [...new Set(kinds)]),
    ];
  }
  if (object.kind === 'HorizontalPodAutoscaler') {
    const spec = object.spec as { scaleTargetRef: { name: string }; maxReplicas: number };
    return boundProblems(manifests, `HorizontalPodAutoscaler ${object.metadata.name}`, spec.maxReplicas, [
      consumedTopic[spec.scaleTargetRef.name],
    ]);
  }
  return [];
}

function boundProblems(
  manifests: Manifest[],
  where: string,
  max: number,
  kinds: (TopicKind | undefined)[],
): string[] {
  return kinds.flatMap((kind) => {
    if (!kind) return [];
    const partitions = topicPartitions(manifests, kind);
    return max > partitions
      ? [`${where}: up to ${max} replicas, but the ${kind} topic has ${partitions} partitions`]
      : [];
  });
}
