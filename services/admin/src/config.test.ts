import { randomBytes } from 'node:crypto';
import { loadConfig } from '@wa-broker/shared/config';
import { ConfigError } from '@wa-broker/shared/errors';
import { defaultGraphApiVersion } from '@wa-broker/shared/graph-api-versions';
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

describe('admin config: message templates', () => {
  it('defaults to the shared topics, a 15-minute sync and Meta’s Graph API at the shared version', () => {
    const config = loadConfig(serviceConfig, minimal);
    expect(config).toMatchObject({
      TEMPLATE_CHANGES_TOPIC: 'template-changes',
      BUSINESS_EVENTS_TOPIC: 'webhook-business-events',
      TEMPLATE_EVENTS_GROUP_ID: 'admin-templates',
      TEMPLATE_SYNC_INTERVAL_MS: 900_000,
      GRAPH_API_BASE_URL: 'https://graph.facebook.com',
      GRAPH_API_VERSION: defaultGraphApiVersion,
    });
  });

  it('reads empty Graph values as the defaults (docker-compose passes them empty) and refuses a bad version', () => {
    const config = loadConfig(serviceConfig, { ...minimal, GRAPH_API_BASE_URL: '', GRAPH_API_VERSION: '' });
    expect(config.GRAPH_API_BASE_URL).toBe('https://graph.facebook.com');
    expect(config.GRAPH_API_VERSION).toBe(defaultGraphApiVersion);
    expect(problemsOf({ ...minimal, GRAPH_API_VERSION: '25' })).toEqual([
      'GRAPH_API_VERSION: must look like v25.0',
    ]);
    expect(problemsOf({ ...minimal, TEMPLATE_SYNC_INTERVAL_MS: '0' })).toHaveLength(1);
  });
});
