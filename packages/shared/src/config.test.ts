import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { csv, flag, kafkaEnv, loadConfig, port } from './config.js';
import { ConfigError } from './errors.js';

const schema = z.object({
  ...kafkaEnv.shape,
  PORT: port,
  VERIFY_TOKEN: z.string().min(8),
  DEBUG: flag.default(false),
});

describe('loadConfig', () => {
  it('parses, coerces and freezes a valid environment', () => {
    const config = loadConfig(schema, {
      KAFKA_BROKERS: 'a:1, b:2',
      PORT: '5000',
      VERIFY_TOKEN: 'long-enough',
      DEBUG: 'yes',
    });
    expect(config).toEqual({
      KAFKA_BROKERS: ['a:1', 'b:2'],
      KAFKA_REPLICATION_FACTOR: 1,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_TLS: false,
      PORT: 5000,
      VERIFY_TOKEN: 'long-enough',
      DEBUG: true,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lists every missing or bad variable in one error without echoing values', () => {
    const attempt = () => loadConfig(schema, { PORT: 'ninety', VERIFY_TOKEN: 'secret1', KAFKA_BROKERS: '' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigError).problems;
      expect(problems.map((problem) => problem.split(':')[0])).toEqual([
        'KAFKA_BROKERS',
        'PORT',
        'VERIFY_TOKEN',
      ]);
      expect(problems[0]).toBe('KAFKA_BROKERS: is required');
      expect((error as Error).message).not.toContain('secret1');
    }
  });

  it('rejects a list that is only separators', () => {
    expect(csv.safeParse(' , ,').success).toBe(false);
  });
});
