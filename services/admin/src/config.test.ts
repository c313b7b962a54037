import { randomBytes } from 'node:crypto';
import { loadConfig } from '@wa-broker/shared/config';
import { ConfigError } from '@wa-broker/shared/errors';
import { describe, expect, it } from 'vitest';
import { serviceConfig } from './config.js';

const minimal = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/wa_broker',
  KAFKA_BROKERS: '127.0.0.1:19092',
  ADMIN_API_KEYS: 'local-dev-admin-key-change-me',
  NUMBER_TOKEN_KEY: randomBytes(32).toString('base64'),
};

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(serviceConfig, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('admin config: business numbers', () => {
  it('defaults the number-changes topic to the shared name', () => {
    const config = loadConfig(serviceConfig, minimal);
    expect(config.NUMBER_CHANGES_TOPIC).toBe('number-changes');
    expect(config.NUMBER_TOKEN_KEY).toBe(minimal.NUMBER_TOKEN_KEY);
  });

  it('requires NUMBER_TOKEN_KEY', () => {
    const { NUMBER_TOKEN_KEY: _key, ...rest } = minimal;
    expect(problemsOf(rest)).toEqual(['NUMBER_TOKEN_KEY: is required']);
  });

  it('refuses a key that is not 32 bytes of base64, without echoing it', () => {
    const short = randomBytes(16).toString('base64');
    const problems = problemsOf({ ...minimal, NUMBER_TOKEN_KEY: short });
    expect(problems).toEqual(['NUMBER_TOKEN_KEY: must be 32 bytes in base64']);
    expect(problems.join('\n')).not.toContain(short);
  });
});
