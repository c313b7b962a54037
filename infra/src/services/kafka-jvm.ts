import { join } from 'node:path';
import type { StackSettings } from '../stack-settings.js';

/**
 * The broker's JVM flags for the settings' profile (STACK_KAFKA_JVM). `test`: C1 only and the serial GC start a
 * broker in seconds on two cores, which every test run pays. `bench`: the "typical arguments for running Kafka" of
 * Kafka's operations guide (Java Version): C2, G1 with a 20 ms pause goal and 16 MB regions, metaspace sized once,
 * heap fixed at STACK_KAFKA_HEAP so it never resizes during a measurement (the guide's 6 GB is the bench's default).
 * The heap matters for latency, not memory: G1 keeps its young generation near its floor, 5 % of the heap, when
 * pauses are long for the goal (two shared cores), so a 1 GB heap collected every ~1.5 s under the router bench and
 * each 20–30 ms pause stopped every partition; 6 GB collects about six times less often.
 */
export function kafkaJvmOptions(settings: StackSettings): string[] {
  const common = [
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${join(settings.repoRoot, 'infra/kafka/log4j.properties')}`,
  ];
  if (settings.kafkaJvm === 'bench')
    return [
      `-Xms${settings.kafkaHeap}`,
      `-Xmx${settings.kafkaHeap}`,
      '-XX:MetaspaceSize=96m',
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-XX:InitiatingHeapOccupancyPercent=35',
      '-XX:G1HeapRegionSize=16M',
      '-XX:MinMetaspaceFreeRatio=50',
      '-XX:MaxMetaspaceFreeRatio=80',
      '-XX:+ExplicitGCInvokesConcurrent',
      ...common,
    ];
  return ['-Xms256m', `-Xmx${settings.kafkaHeap}`, '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', ...common];
}
