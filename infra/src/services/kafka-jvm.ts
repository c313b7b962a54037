import { join } from 'node:path';
import type { StackSettings } from '../stack-settings.js';

/**
 * The broker's JVM flags for the settings' profile (STACK_KAFKA_JVM). `test`: C1 only and the serial GC start a
 * broker in seconds on two cores, which every test run pays. `bench`: what Kafka's own kafka-server-start uses
 * (KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS): C2, G1 with 20 ms pause goal, heap fixed so it never resizes
 * during a measurement.
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
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-XX:InitiatingHeapOccupancyPercent=35',
      '-XX:+ExplicitGCInvokesConcurrent',
      ...common,
    ];
  return ['-Xms256m', `-Xmx${settings.kafkaHeap}`, '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', ...common];
}
