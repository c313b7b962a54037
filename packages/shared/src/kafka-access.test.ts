import { describe, expect, it } from 'vitest';
import {
  agentGrants,
  agentGroupPrefix,
  agentServingGrants,
  agentUsername,
  coreGrants,
  coreServices,
  defaultCoreNames,
  type KafkaGrant,
} from './kafka-access.js';
import { agentSlug } from './topics.js';

const topicsOf = (slug: string) => ({ in: `${slug}-in`, out: `${slug}-out`, error: `${slug}-error` });
const usernames = {
  webhook: 'webhook',
  router: 'router',
  admin: 'admin-service',
  notify: 'notify',
  media: 'media',
};

/** Whether `grant` allows `operation` on a resource of this type and name (Kafka's literal / prefixed / `*`). */
function allows(
  grants: readonly KafkaGrant[],
  type: KafkaGrant['resourceType'],
  name: string,
  operation: string,
) {
  return grants.some(
    (grant) =>
      grant.resourceType === type &&
      grant.operations.includes(operation as never) &&
      (grant.patternType === 'PREFIXED'
        ? name.startsWith(grant.resourceName)
        : grant.resourceName === name || grant.resourceName === '*'),
  );
}

describe('agentGrants (issue 24 §2: least privilege per agent)', () => {
  const sales = agentGrants({ slug: 'sales', topics: topicsOf('sales') });

  it('reads its -in and -error, writes and reads its -out, joins its own groups', () => {
    expect(allows(sales, 'TOPIC', 'sales-in', 'READ')).toBe(true);
    expect(allows(sales, 'TOPIC', 'sales-error', 'READ')).toBe(true);
    expect(allows(sales, 'TOPIC', 'sales-out', 'WRITE')).toBe(true);
    expect(allows(sales, 'GROUP', `${agentGroupPrefix('sales')}agent`, 'READ')).toBe(true);
    expect(sales.every((grant) => grant.principal === `User:${agentUsername('sales')}`)).toBe(true);
  });

  it('never writes its -in or -error, nor touches the webhook topics or another agent', () => {
    expect(allows(sales, 'TOPIC', 'sales-in', 'WRITE')).toBe(false);
    expect(allows(sales, 'TOPIC', 'sales-error', 'WRITE')).toBe(false);
    for (const topic of [defaultCoreNames.webhook, defaultCoreNames.rawEventLog, defaultCoreNames.routerOut])
      expect(allows(sales, 'TOPIC', topic, 'READ')).toBe(false);
    // `sales-eu`'s topics and groups start with `sales`: neither a prefix nor a literal covers them.
    for (const topic of Object.values(topicsOf('sales-eu'))) {
      expect(allows(sales, 'TOPIC', topic, 'READ')).toBe(false);
      expect(allows(sales, 'TOPIC', topic, 'WRITE')).toBe(false);
    }
    expect(allows(sales, 'GROUP', `${agentGroupPrefix('sales-eu')}agent`, 'READ')).toBe(false);
    expect(allows(sales, 'CLUSTER', 'kafka-cluster', 'ALTER')).toBe(false);
  });

  it('no slug can make its group prefix cover another slug (the colon is not a slug character)', () => {
    for (const name of ['Sales', 'Sales EU', 'sales.eu', 'sales-', 'a:b'])
      expect(agentSlug(name)).not.toContain(':');
  });
});

describe('agentServingGrants and coreGrants', () => {
  it('the router writes an agent’s -in/-error and reads its -out; media and notify read its -in', () => {
    const serving = agentServingGrants({ slug: 'sales', topics: topicsOf('sales') }, usernames);
    const of = (user: string) => serving.filter((grant) => grant.principal === `User:${user}`);
    expect(allows(of('router'), 'TOPIC', 'sales-in', 'WRITE')).toBe(true);
    expect(allows(of('router'), 'TOPIC', 'sales-out', 'READ')).toBe(true);
    expect(allows(of('router'), 'TOPIC', 'sales-out', 'WRITE')).toBe(false);
    expect(allows(of('media'), 'TOPIC', 'sales-in', 'READ')).toBe(true);
    expect(allows(of('notify'), 'TOPIC', 'sales-out', 'READ')).toBe(true);
    expect(allows(of('notify'), 'TOPIC', 'sales-in', 'WRITE')).toBe(false);
  });

  it('the webhook only appends to its three topics; only the admin may alter the cluster', () => {
    const grants = coreGrants(defaultCoreNames, usernames);
    const webhook = grants.filter((grant) => grant.principal === 'User:webhook');
    expect(new Set(webhook.map((grant) => grant.resourceName))).toEqual(
      new Set([defaultCoreNames.webhook, defaultCoreNames.businessEvents, defaultCoreNames.rawEventLog]),
    );
    expect(webhook.some((grant) => grant.operations.includes('READ'))).toBe(false);
    const alterers = grants
      .filter((grant) => grant.resourceType === 'CLUSTER')
      .map((grant) => grant.principal);
    expect(alterers).toEqual(['User:admin-service']);
    expect(new Set(grants.map((grant) => grant.principal))).toEqual(
      new Set(coreServices.map((service) => `User:${usernames[service]}`)),
    );
    // The router's transactions: ids `<group>:<topic>:<partition>`.
    const router = grants.filter((grant) => grant.principal === 'User:router');
    expect(
      allows(router, 'TRANSACTIONAL_ID', `${defaultCoreNames.groups.routerInbound}:webhook:0`, 'WRITE'),
    ).toBe(true);
    expect(allows(router, 'TOPIC', defaultCoreNames.rawEventLog, 'READ')).toBe(false);
  });
});
