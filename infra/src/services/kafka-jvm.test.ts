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

  it('runs Kafka’s own production JVM under STACK_KAFKA_JVM=bench: full JIT, G1, fixed heap', () => {
    const options = kafkaJvmOptions(stackSettings({ STACK_KAFKA_JVM: 'bench', STACK_KAFKA_HEAP: '1g' }));
    expect(options).toEqual(expect.arrayContaining(['-Xms1g', '-Xmx1g', '-XX:+UseG1GC']));
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
