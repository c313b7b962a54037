import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildOperatorUi } from '@wa-broker/infra/browser';
import {
  activeServices,
  type ComposeModel,
  isOneShotJob,
  listeningPorts,
  loadCompose,
  serviceEnv,
  serviceSource,
} from '@wa-broker/infra/compose-model';
import { freePort, launchService, type RunningService } from '@wa-broker/infra/launch';
import { repoRoot } from '@wa-broker/infra/stack-settings';
import { testKafkaAuth, testStackEnv } from '@wa-broker/infra/test-env';
import { createTestBucket } from '@wa-broker/infra/test-s3';
import { dropTestState } from '@wa-broker/infra/test-state';
import { agentMediaToken } from '@wa-broker/shared/media-access';
import { agentSlug } from '@wa-broker/shared/topics';
import { mapAddresses, stackAddresses } from './compose-addresses.js';
import { createRunAgent, runJob } from './compose-run.js';
import { deleteRunTopics, removeRunPrincipals } from './run-topics.js';
import { startUiProxy, type UiProxy } from './ui-proxy.js';

/**
 * What `docker compose --profile demo up` runs, as processes on this machine: each service started with the
 * environment compose would give its container, read from docker-compose.yaml, with two kinds of change only:
 * - addresses: a compose host becomes 127.0.0.1 on a free port (its own PORT too), and the official images
 *   (Kafka, PostgreSQL, Redis, MongoDB) are the local stack's servers;
 * - names of shared state (topics, consumer groups, key prefix, schemas, databases, the agents' slugs), made
 *   unique to the run, so a run never reads or writes what `pnpm dev` or another test uses.
 * `isolationKey` says which variables the second kind may touch; the compose e2e checks nothing else differs.
 */
export interface ComposeSystem {
  runId: string;
  profile: string;
  /** Each started service's environment as compose gives it, and as it was started. */
  composeEnv: Record<string, Record<string, string>>;
  startedEnv: Record<string, Record<string, string>>;
  /** `http://127.0.0.1:<port>` of a service's first listening port. */
  url(service: string): string;
  /** What did not run: images with no local counterpart a service uses (Kafka UI is for people). */
  skipped: string[];
  /** agent-frontend: the built UI nginx serves, and nginx itself. */
  ui: { dir: string; proxy: UiProxy };
  logs(): string;
  stop(): Promise<void>;
}

/**
 * Variables that name shared state (or, for DATABASE_URL, the test database on the same server). Kafka principals
 * are cluster-wide state too: every username (and the admin's agent username prefix) is the run's own.
 */
export const isolationKey =
  /(_TOPIC|_GROUP_ID|_GROUP_PREFIX|_KEY_PREFIX|_USERNAME|_USERNAME_PREFIX|^DATABASE_SCHEMA|^MONGO_DATABASE|^AGENT_SLUG|^AGENT_NAME|^BOT_AGENT_NAME|^DATABASE_URL|^S3_BUCKET)$/;

/**
 * Credentials that differ from compose's, and why: the run's agent backend uses the credential the run's admin
 * issued its agent (as an operator hands one to an agent's team), and kafka-access runs as the stack's super user,
 * who signs in with SCRAM where compose's administrator uses PLAIN on the broker's internal listener. Its media
 * credential (MEDIA_TOKEN) is compose's signing key's, for the run agent's slug.
 */
export const runCredentialKey = /^(KAFKA_PASSWORD|KAFKA_SASL_MECHANISM|MEDIA_TOKEN)$/;

/** Username variables: the core services' own, the principals the admin grants agents' topics to, the job's. */
const usernameKey =
  /(^KAFKA_USERNAME|_KAFKA_USERNAME|^KAFKA_(ROUTER|MEDIA|NOTIFY)_USERNAME|^KAFKA_AGENT_USERNAME_PREFIX)$/;

// Agents' groups are not here: they start with the agent's slug (`<slug>:`, all its credential opens), and the
// slugs are the run's own (AGENT_SLUG, BOT_AGENT_NAME).
const sharedNames = [
  'WEBHOOK_TOPIC',
  'BUSINESS_EVENTS_TOPIC',
  'RAW_EVENT_LOG_TOPIC',
  'AGENT_CHANGES_TOPIC',
  'NUMBER_CHANGES_TOPIC',
  'TEMPLATE_CHANGES_TOPIC',
  'MESSAGE_COSTS_TOPIC',
  'ROUTER_OUT_TOPIC',
  'DEAD_LETTER_TOPIC',
  'NOTIFICATIONS_SEND_TOPIC',
  'NOTIFICATION_EVENTS_TOPIC',
  'INBOUND_GROUP_ID',
  'OUTBOUND_GROUP_ID',
  'NOTIFY_SEND_GROUP_ID',
  'NOTIFY_STATUS_GROUP_ID',
  'EVENTS_GROUP_ID',
  'CONVERSATIONS_GROUP_ID',
  'MEDIA_GROUP_ID',
  'TEMPLATE_EVENTS_GROUP_ID',
  'MESSAGE_COSTS_GROUP_ID',
];

export async function startComposeSystem(profile = 'demo'): Promise<ComposeSystem> {
  const runId = randomUUID().slice(0, 8);
  const prefix = `e2e-compose-${runId}`;
  const slug = `e2e_compose_${runId}`;
  // A menu row title holds 24 characters.
  const runAgentName = `Agent A ${runId}`;
  const stack = testStackEnv();
  const model = loadCompose(join(repoRoot, 'docker-compose.yaml'));
  const active = activeServices(model, profile);
  const built = active.filter((name) => model.services[name]?.build);
  const stackHosts = stackAddresses(stack);
  const skipped = active.filter((name) => !built.includes(name) && !stackHosts[name]);

  // Every port a started service listens on gets a free local one.
  const localPort = new Map<string, number>();
  for (const name of built)
    for (const port of listeningPorts(model, name)) localPort.set(`${name}:${port}`, await freePort());
  // The run's own bucket (the admin keeps Agent A's slug, so its media credential is the .env.example one).
  const bucket = await createTestBucket(prefix);
  const isolation: Record<string, Record<string, string>> = {
    admin: { DATABASE_SCHEMA: `${slug}_admin` },
    notify: { DATABASE_SCHEMA: `${slug}_notify` },
    media: { S3_BUCKET: bucket.bucket },
    // The run's own agent, created through the run's admin (the seeded Agent A is pnpm dev's and is switched off).
    'agent-backend': {
      AGENT_NAME: runAgentName,
      AGENT_SLUG: agentSlug(runAgentName),
      MONGO_DATABASE: slug,
    },
    // A menu row title holds 24 characters.
    'bot-agent': { BOT_AGENT_NAME: `${runId} bot` },
  };
  const testDatabase = new URL(stack.TEST_DATABASE_URL).pathname;
  // kafka-access runs as the stack's super user (the password is compose's default; the mechanism differs).
  const superUser = {
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_USERNAME: testKafkaAuth().username,
    KAFKA_PASSWORD: testKafkaAuth().password,
  };

  const composeEnv: Record<string, Record<string, string>> = {};
  const startedEnv: Record<string, Record<string, string>> = {};
  for (const name of built) {
    composeEnv[name] = serviceEnv(model, name);
    const env = mapAddresses(name, composeEnv[name], localPort, stackHosts, built);
    const folder = serviceSource(model, name)?.dir.split('/').at(-1) ?? '';
    const names: Record<string, string> = Object.fromEntries(
      sharedNames.map((key) => [key, `${prefix}-${key.toLowerCase().replaceAll('_', '-')}`]),
    );
    Object.assign(env, names, { REDIS_KEY_PREFIX: `${prefix}:` }, isolation[folder]);
    for (const [key, value] of Object.entries(env))
      if (value && usernameKey.test(key) && !(isOneShotJob(model, name) && key === 'KAFKA_USERNAME'))
        env[key] = `${prefix}-${value}`;
    if (isOneShotJob(model, name)) Object.assign(env, superUser);
    if (env.DATABASE_URL) {
      const url = new URL(env.DATABASE_URL);
      url.pathname = testDatabase;
      env.DATABASE_URL = url.toString();
    }
    startedEnv[name] = env;
  }

  const running = new Map<string, RunningService>();
  let proxy: UiProxy | undefined;
  let uiDir: string | undefined;
  const stop = async () => {
    await proxy?.stop();
    await Promise.all([...running.values()].reverse().map((service) => service.stop()));
    if (uiDir) await rm(uiDir, { recursive: true, force: true });
    await bucket
      .drop()
      .catch((error: unknown) => console.warn(`compose e2e ${runId}: bucket not dropped: ${String(error)}`));
    await deleteRunTopics(stack.KAFKA_BROKERS.split(','), [
      `${prefix}-`,
      `${slug}_`,
      `${runId}_bot`,
      `${agentSlug(runAgentName)}-`,
    ]).catch((error: unknown) => console.warn(`compose e2e ${runId}: topics not deleted: ${String(error)}`));
    // Every principal of the run (the services', the agents' its admin issued) and its ACLs.
    await removeRunPrincipals(stack.KAFKA_BROKERS.split(','), `${prefix}-`).catch((error: unknown) =>
      console.warn(`compose e2e ${runId}: principals not removed: ${String(error)}`),
    );
    await dropTestState({
      postgresSchemas: [`${slug}_admin`, `${slug}_notify`],
      mongoDatabases: [slug],
      redisKeyPrefix: `${prefix}:`,
    });
  };
  const url = (name: string) => {
    const port = listeningPorts(model, name)[0];
    return `http://127.0.0.1:${localPort.get(`${name}:${port}`)}`;
  };

  const building = buildOperatorUi();
  try {
    // In depends_on order, like compose: a wave starts once everything it depends on answers.
    const pending = new Set(built);
    while (pending.size) {
      const wave = [...pending].filter((name) =>
        dependencies(model, name).every((dependency) => !pending.has(dependency)),
      );
      if (!wave.length) throw new Error(`depends_on cycle among ${[...pending].join(', ')}`);
      await Promise.all(
        wave.map(async (name) => {
          pending.delete(name);
          const env = startedEnv[name] ?? {};
          if (!serviceSource(model, name)) {
            // The UI image: nginx with the repo's template, in front of the agent backend.
            uiDir = await building;
            proxy = await startUiProxy({ uiDir, port: Number(new URL(url(name)).port), env });
            return;
          }
          const command = model.services[name]?.command;
          const entry = Array.isArray(command) ? command.at(-1) : undefined;
          if (isOneShotJob(model, name)) {
            // A job: run to the end; those that wait for it start only if it succeeded.
            await runJob(serviceSource(model, name)?.dir ?? '', entry ?? '', env, name);
            return;
          }
          const service = await launchService(
            serviceSource(model, name)?.dir.split('/').at(-1) ?? name,
            env,
            {
              port: Number(new URL(url(name)).port),
              ...(entry ? { entry, health: '/orders/A1001' } : {}),
            },
          );
          running.set(name, service);
          if (name === 'admin') {
            const credential = await createRunAgent(service.url, env, runAgentName, `${slug}_seed`);
            // The agent backend connects with it, as an outside team would with what the operator gave them.
            const agentEnv = startedEnv['agent-backend'];
            const signingKey = startedEnv.media?.MEDIA_SIGNING_KEY ?? '';
            if (agentEnv)
              Object.assign(agentEnv, {
                KAFKA_USERNAME: credential.username,
                KAFKA_PASSWORD: credential.password,
                // Its media credential, signed with compose's key for the run agent's slug.
                MEDIA_TOKEN: agentMediaToken(signingKey, agentSlug(runAgentName)),
              });
          }
        }),
      );
    }
  } catch (error) {
    uiDir ??= await building.catch(() => undefined);
    await stop();
    throw error;
  }
  if (!proxy || !uiDir) throw new Error(`profile ${profile} has no agent-frontend`);
  return {
    runId,
    profile,
    composeEnv,
    startedEnv,
    url,
    skipped,
    ui: { dir: uiDir, proxy },
    logs: () =>
      [...running.entries()]
        .map(([name, service]) => `--- ${name} ---\n${service.logs.slice(-30).join('\n')}`)
        .join('\n'),
    stop,
  };
}

/** The agent backend waits for the admin here: it connects with the credential the admin issues the run's agent. */
const runDependencies: Record<string, string[]> = { 'agent-backend': ['admin'] };

function dependencies(model: ComposeModel, name: string): string[] {
  const dependsOn = model.services[name]?.depends_on ?? [];
  return [
    ...(Array.isArray(dependsOn) ? dependsOn : Object.keys(dependsOn)),
    ...(runDependencies[name] ?? []),
  ];
}
