import { describe, expect, it } from 'vitest';
import { kafkaEnv, loadConfig } from './config.js';
import { ConfigError } from './errors.js';
import { kafkaConnection } from './kafka.js';

const parse = (env: Record<string, string>) => loadConfig(kafkaEnv, { KAFKA_BROKERS: 'a:1,b:2', ...env });

describe('kafkaConnection (issue 24 §1: each process its own principal)', () => {
  it('gives the brokers and SCRAM-SHA-512 credentials by default', () => {
    expect(kafkaConnection(parse({ KAFKA_USERNAME: 'router', KAFKA_PASSWORD: 'secret' }))).toEqual({
      brokers: ['a:1', 'b:2'],
      auth: { mechanism: 'scram-sha-512', username: 'router', password: 'secret' },
    });
  });

  it('turns TLS on by configuration', () => {
    const connection = kafkaConnection(
      parse({ KAFKA_USERNAME: 'u', KAFKA_PASSWORD: 'p', KAFKA_TLS: 'true' }),
    );
    expect(connection.auth?.tls).toEqual({});
  });

  it('refuses a username without a password (and the reverse), naming the missing variable', () => {
    expect(() => kafkaConnection(parse({ KAFKA_USERNAME: 'router' }))).toThrow(ConfigError);
    expect(() => kafkaConnection(parse({ KAFKA_PASSWORD: 'secret' }))).toThrow(/KAFKA_USERNAME/);
  });

  it('connects without credentials only when none are configured', () => {
    expect(kafkaConnection(parse({}))).toEqual({ brokers: ['a:1', 'b:2'] });
  });
});
