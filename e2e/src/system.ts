import { randomUUID } from 'node:crypto';
import { testStackEnv } from '@wa-broker/infra/test-env';
import { freePort, launchService, type RunningService } from './launch.js';

/** The whole broker, each service its own process, on names no other test run uses. */
export interface System {
  runId: string;
  webhook: RunningService;
  admin: RunningService;
  router: RunningService;
  agent: RunningService;
  simulator: RunningService;
  agentName: string;
  agentTopics: { in: string; out: string; error: string };
  adminKey: string;
  operatorToken: string;
  stop(): Promise<void>;
  logs(): string;
}

const appSecret = 'e2e_app_secret_0123456789';
const graphToken = 'e2e_graph_token_0123456789';
const phoneNumberId = '106540352242922';

/** Starts admin, webhook, simulator, router and the demo agent against the real local stack. */
export async function startSystem(options: { routerEnv?: Record<string, string> } = {}): Promise<System> {
  const stack = testStackEnv();
  const runId = randomUUID().slice(0, 8);
  const prefix = `e2e-${runId}`;
  const kafka = { KAFKA_BROKERS: stack.KAFKA_BROKERS, KAFKA_REPLICATION_FACTOR: '1' };
  const topics = {
    webhook: `${prefix}-webhook`,
    agentChanges: `${prefix}-agent-changes`,
  };
  const agentName = `E2E ${runId}`;
  const agentSlug = `e2e_${runId}`;
  const agentTopics = { in: `${agentSlug}-in`, out: `${agentSlug}-out`, error: `${agentSlug}-error` };
  const adminKey = `e2e-admin-key-${runId}-0123456789`;
  const operatorToken = `e2e-operator-${runId}`;
  const [adminPort, webhookPort, routerPort, agentPort, simulatorPort] = await Promise.all(
    Array.from({ length: 5 }, freePort),
  );
  const started: RunningService[] = [];
  const launch = async (name: string, env: Record<string, string>) => {
    const service = await launchService(name, env);
    started.push(service);
    return service;
  };
  const stopAll = async () => {
    await Promise.all(started.reverse().map((service) => service.stop()));
  };
  try {
    const admin = await launch('admin', {
      ...kafka,
      PORT: String(adminPort),
      DATABASE_URL: stack.TEST_DATABASE_URL,
      DATABASE_SCHEMA: `e2e_${runId}`,
      AGENT_CHANGES_TOPIC: topics.agentChanges,
      ADMIN_API_KEYS: adminKey,
    });
    const created = await fetch(`${admin.url}/api/v2/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: agentName,
        read_topic: agentTopics.in,
        write_topic: agentTopics.out,
        error_topic: agentTopics.error,
      }),
    });
    if (created.status !== 201)
      throw new Error(`creating the e2e agent: ${created.status} ${await created.text()}`);
    const [webhook, simulator] = await Promise.all([
      launch('webhook', {
        ...kafka,
        PORT: String(webhookPort),
        META_VERIFY_TOKEN: 'e2e_verify_token',
        META_APP_SECRETS: appSecret,
        WEBHOOK_TOPIC: topics.webhook,
        BUSINESS_EVENTS_TOPIC: `${prefix}-business`,
        RAW_EVENT_LOG_TOPIC: `${prefix}-raw`,
      }),
      launch('wa-simulator', {
        PORT: String(simulatorPort),
        SIM_WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/webhook`,
        SIM_APP_SECRET: appSecret,
        SIM_ACCESS_TOKENS: graphToken,
        SIM_PHONE_NUMBER_ID: phoneNumberId,
        SIM_STATUS_SENT_MS: '50',
        SIM_STATUS_DELIVERED_MS: '150',
        SIM_STATUS_READ_MS: '300',
        SIM_DELIVERY_BACKOFF_MS: '100',
      }),
    ]);
    const [router, agent] = await Promise.all([
      launch('router', {
        ...kafka,
        PORT: String(routerPort),
        REDIS_URL: stack.REDIS_URL,
        REDIS_KEY_PREFIX: `${prefix}:`,
        WEBHOOK_TOPIC: topics.webhook,
        AGENT_CHANGES_TOPIC: topics.agentChanges,
        ROUTER_OUT_TOPIC: `${prefix}-router-out`,
        DEAD_LETTER_TOPIC: `${prefix}-dead-letter`,
        INBOUND_GROUP_ID: `${prefix}-router-in`,
        OUTBOUND_GROUP_ID: `${prefix}-router-out`,
        GRAPH_API_BASE_URL: simulator.url,
        GRAPH_API_VERSION: 'v21.0',
        GRAPH_PHONE_NUMBER_ID: phoneNumberId,
        GRAPH_API_TOKEN: graphToken,
        SEND_BACKOFF_BASE_MS: '100',
        ...options.routerEnv,
      }),
      launch('agent-backend', {
        ...kafka,
        PORT: String(agentPort),
        AGENT_NAME: agentName,
        AGENT_IN_TOPIC: agentTopics.in,
        AGENT_OUT_TOPIC: agentTopics.out,
        AGENT_ERROR_TOPIC: agentTopics.error,
        MONGO_URL: stack.MONGO_URL,
        MONGO_DATABASE: `e2e_${runId}`,
        OPERATOR_TOKENS: operatorToken,
        CONSUMER_GROUP_PREFIX: `${prefix}-agent`,
        INSTANCE_ID: 'e2e',
      }),
    ]);
    return {
      runId,
      webhook,
      admin,
      router,
      agent,
      simulator,
      agentName,
      agentTopics,
      adminKey,
      operatorToken,
      stop: stopAll,
      logs: () =>
        started.map((service) => `--- ${service.name} ---\n${service.logs.slice(-40).join('\n')}`).join('\n'),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
