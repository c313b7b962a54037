import { loadConfig } from '@wa-broker/shared/config';
import { describe, expect, it } from 'vitest';
import { accessSetupConfig, setupPrincipals } from './kafka-access-setup.js';

const env = {
  KAFKA_BROKERS: '127.0.0.1:19092',
  WEBHOOK_KAFKA_PASSWORD: 'webhook-secret-1',
  ROUTER_KAFKA_PASSWORD: 'router-secret-12',
  ADMIN_KAFKA_PASSWORD: 'admin-secret-123',
  NOTIFY_KAFKA_PASSWORD: 'notify-secret-12',
  MEDIA_KAFKA_PASSWORD: 'media-secret-123',
};

describe('kafka-access setup', () => {
  it('names every core service with its credential and only its own grants', () => {
    const principals = setupPrincipals(loadConfig(accessSetupConfig, env));
    expect(principals.map((principal) => [principal.username, principal.password])).toEqual([
      ['webhook', 'webhook-secret-1'],
      ['router', 'router-secret-12'],
      ['admin-service', 'admin-secret-123'],
      ['notify', 'notify-secret-12'],
      ['media', 'media-secret-123'],
    ]);
    for (const principal of principals)
      expect(principal.grants.every((grant) => grant.principal === `User:${principal.username}`)).toBe(true);
  });

  it('adds the seeded agent with its rights and the services’ rights on its topics', () => {
    const principals = setupPrincipals(
      loadConfig(accessSetupConfig, {
        ...env,
        SEED_AGENT_SLUG: 'agent_A',
        SEED_AGENT_KAFKA_PASSWORD: 'agent-secret-12',
      }),
    );
    const agent = principals.at(-1);
    expect(agent?.username).toBe('agent-agent_A');
    expect(
      agent?.grants.some((grant) => grant.principal === 'User:router' && grant.resourceName === 'agent_A-in'),
    ).toBe(true);
  });

  it('grants the names the services are configured with (their own variables), else the defaults', () => {
    const principals = setupPrincipals(
      loadConfig(accessSetupConfig, {
        ...env,
        WEBHOOK_TOPIC: 'run-webhook',
        INBOUND_GROUP_ID: 'run-router-in',
      }),
    );
    const names = (username: string) =>
      principals
        .find((principal) => principal.username === username)
        ?.grants.map((grant) => grant.resourceName);
    expect(names('webhook')).toEqual(['run-webhook', 'webhook-business-events', 'webhook-raw']);
    expect(names('router')).toContain('run-router-in');
    expect(names('router')).toContain('run-router-in-commits');
    expect(names('router')).not.toContain('router-inbound');
  });

  it('refuses short secrets and a seeded agent without its secret, naming the variables', () => {
    expect(() => loadConfig(accessSetupConfig, { ...env, ROUTER_KAFKA_PASSWORD: 'short' })).toThrow(
      /ROUTER_KAFKA_PASSWORD/,
    );
    expect(() =>
      setupPrincipals(loadConfig(accessSetupConfig, { ...env, SEED_AGENT_SLUG: 'agent_A' })),
    ).toThrow(/SEED_AGENT_KAFKA_PASSWORD/);
  });
});
