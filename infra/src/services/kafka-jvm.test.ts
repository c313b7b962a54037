import { describe, expect, it } from 'vitest';
import { stackSettings } from '../stack-settings.js';
import { kafkaJvmOptions } from './kafka-jvm.js';

describe('kafkaJvmOptions', () => {
  it('keeps the fast-starting JVM for tests by default', () => {
    const options = kafkaJvmOptions(stackSettings({}));
    expect(options.slice(0, 4)).toEqual([
      '-Xms256m',
      '-Xmx768m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
    ]);
  });

  it('runs the production JVM of Kafka’s operations guide under STACK_KAFKA_JVM=bench', () => {
    const options = kafkaJvmOptions(stackSettings({ STACK_KAFKA_JVM: 'bench', STACK_KAFKA_HEAP: '6g' }));
    // "Typical arguments for running Kafka" (kafka.apache.org, Operations › Java Version), heap from the settings.
    const documented =
      '-XX:MetaspaceSize=96m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 ' +
      '-XX:G1HeapRegionSize=16M -XX:MinMetaspaceFreeRatio=50 -XX:MaxMetaspaceFreeRatio=80 -XX:+ExplicitGCInvokesConcurrent';
    expect(options.slice(0, 10).join(' ')).toBe(`-Xms6g -Xmx6g ${documented}`);
    expect(
      options.some((option) => option.includes('TieredStopAtLevel') || option.includes('SerialGC')),
    ).toBe(false);
  });

  it('refuses a profile it does not know', () => {
    expect(() => stackSettings({ STACK_KAFKA_JVM: 'fast' })).toThrow(
      /STACK_KAFKA_JVM=fast: expected one of test, bench/,
    );
  });
});
