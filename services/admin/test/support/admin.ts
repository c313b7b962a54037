import { randomUUID } from 'node:crypto';
import { testKafkaEnv, testStackEnv } from '@wa-broker/infra/test-env';
import { loadConfig } from '@wa-broker/shared/config';
import { createLogger } from '@wa-broker/shared/logger';
import pg from 'pg';
import { type AdminConfig, serviceConfig } from '../../src/config.js';
import { type Admin, type AdminEnvironment, startAdmin } from '../../src/runtime.js';
import { deleteTopics } from './kafka.js';

export const apiKey = 'test-admin-key-0123456789';
export const otherApiKey = 'second-admin-key-abcdefghij';
export const auth = { authorization: `Bearer ${apiKey}` };
/** The tests' NUMBER_TOKEN_KEY (32 bytes, base64): a test-only key, never a deployment's. */
export const testNumberTokenKey = Buffer.from('admin-tests-only-number-token-k!', 'utf8').toString('base64');

export interface TestAdmin extends Admin {
  config: AdminConfig;
  /** Runs SQL in this test's schema. */
  sql: (text: string, values?: unknown[]) => Promise<pg.QueryResult>;
  /**
   * Closes the admin, deletes its agent-, number- and template-change, business-event and message-cost topics and drops its schema. The agents' topics are
   * the test's to delete (a per-file prefix in their names); the seed's `agent_A-*` are the local stack's and stay.
   */
  close: () => Promise<void>;
}

/** A unique suffix for this file's schema and topics, so parallel runs never share state. */
export const uniqueId = () => randomUUID().replace(/-/g, '').slice(0, 12);

export function testConfig(overrides: Record<string, string> = {}): AdminConfig {
  const env = testStackEnv();
  const id = uniqueId();
  return loadConfig(serviceConfig, {
    DATABASE_URL: env.TEST_DATABASE_URL,
    DATABASE_SCHEMA: `admin_test_${id}`,
    ...testKafkaEnv(),
    KAFKA_CLIENT_ID: `admin-test-${id}`,
    AGENT_CHANGES_TOPIC: `agent-changes-test-${id}`,
    NUMBER_CHANGES_TOPIC: `number-changes-test-${id}`,
    TEMPLATE_CHANGES_TOPIC: `template-changes-test-${id}`,
    BUSINESS_EVENTS_TOPIC: `business-events-test-${id}`,
    TEMPLATE_EVENTS_GROUP_ID: `admin-templates-test-${id}`,
    MESSAGE_COSTS_TOPIC: `message-costs-test-${id}`,
    MESSAGE_COSTS_GROUP_ID: `admin-costs-test-${id}`,
    NUMBER_TOKEN_KEY: testNumberTokenKey,
    // No Graph API unless a test starts the simulator: a saved number's template sync fails at once (a closed
    // port), never waiting on graph.facebook.com, which this machine cannot reach.
    GRAPH_API_BASE_URL: 'http://127.0.0.1:9',
    AGENT_TOPIC_PARTITIONS: '1',
    // Agents' Kafka credentials only where a test asks for them (agent-access.int.test.ts), which removes them.
    AGENT_KAFKA_ACCESS: 'false',
    ADMIN_API_KEYS: `${apiKey},${otherApiKey}`,
    LOG_LEVEL: 'silent',
    ...overrides,
  });
}

/** The real admin (migrations, Kafka topics, startup republish) on a fresh schema and change topics. */
export async function startTestAdmin(
  config: AdminConfig = testConfig(),
  environment: AdminEnvironment = { secrets: {} },
): Promise<TestAdmin> {
  const admin = await startAdmin(
    config,
    createLogger({ service: 'admin-test', level: config.LOG_LEVEL }),
    environment,
  );
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 });
  const search = `SET search_path TO ${config.DATABASE_SCHEMA};`;
  return {
    ...admin,
    config,
    sql: async (text, values) => {
      const client = await pool.connect();
      try {
        await client.query(search);
        return await client.query(text, values);
      } finally {
        client.release();
      }
    },
    close: async () => {
      await admin.app.close();
      await deleteTopics([
        config.AGENT_CHANGES_TOPIC,
        config.NUMBER_CHANGES_TOPIC,
        config.TEMPLATE_CHANGES_TOPIC,
        config.BUSINESS_EVENTS_TOPIC,
        config.MESSAGE_COSTS_TOPIC,
      ]);
      await pool.query(`DROP SCHEMA IF EXISTS ${config.DATABASE_SCHEMA} CASCADE`);
      await pool.end();
    },
  };
}
