import { randomUUID } from 'node:crypto';
import { freePort, launchService, type RunningService } from '@wa-broker/infra/launch';
import { testKafkaEnv, testStackEnv } from '@wa-broker/infra/test-env';
import { createTestBucket } from '@wa-broker/infra/test-s3';
import { dropTestState } from '@wa-broker/infra/test-state';
import { type CoreService, coreServices } from '@wa-broker/shared/kafka-access';
import { agentSlug } from '@wa-broker/shared/topics';
import { createAgent } from './create-run-agent.js';
import type { System, SystemOptions } from './system-types.js';

export type { System, SystemOptions } from './system-types.js';

import { type HttpProxy, startProxy } from './proxy.js';
import { wipeKeys } from './replay-tools.js';
import { provisionRunAccess } from './run-access.js';
import { deleteRunTopics } from './run-topics.js';
import {
  adminEnv,
  agentBackendEnv,
  agentMediaTokenOf,
  mediaEnv,
  notifyEnv,
  routerEnv,
  secrets,
  simulatorEnv,
  systemNames,
  webhookEnv,
} from './system-env.js';

/** Starts admin, webhook(s), simulator, router(s) and the agent backend against the real local stack. */
export async function startSystem(options: SystemOptions = {}): Promise<System> {
  const stack = testStackEnv();
  const names = systemNames(randomUUID().slice(0, 8));
  const brokers = options.kafkaBrokers ?? stack.KAFKA_BROKERS;
  const { KAFKA_TLS, KAFKA_TLS_CA_FILE } = testKafkaEnv();
  const common = {
    KAFKA_BROKERS: brokers,
    // The stack's TLS (STACK_KAFKA_TLS), when on.
    ...(KAFKA_TLS && KAFKA_TLS_CA_FILE ? { KAFKA_TLS, KAFKA_TLS_CA_FILE } : {}),
    KAFKA_REPLICATION_FACTOR: String(options.replicationFactor ?? 1),
    ...(options.logLevel ? { LOG_LEVEL: options.logLevel } : {}),
  };
  const access = await provisionRunAccess(brokers, names);
  const webhookCount = options.webhooks ?? 1;
  const routerCount = options.routers ?? 1;
  const agentCount = options.agentBackend === false ? 0 : (options.agentBackends ?? 1);
  const ports = await Promise.all(
    Array.from({ length: 2 + agentCount + webhookCount + routerCount }, freePort),
  );
  const [adminPort, simulatorPort, ...rest] = ports as [number, number, ...number[]];
  const agentPorts = rest.slice(0, agentCount);
  const webhookPorts = rest.slice(agentCount, agentCount + webhookCount);
  const routerPorts = rest.slice(agentCount + webhookCount);
  const started: RunningService[] = [];
  const dead: RunningService[] = [];
  const proxies: HttpProxy[] = [];
  const mediaBucket = options.media ? await createTestBucket(`e2e-${names.runId}`) : undefined;
  const launch = async (name: string, env: Record<string, string>) => {
    const service = await launchService(name, env);
    started.push(service);
    return service;
  };
  const stopAll = async () => {
    await Promise.all(started.reverse().map((service) => service.stop()));
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    // A private Kafka goes away with its folder; on the shared one this run's topics are deleted.
    if (!options.kafkaBrokers)
      await deleteRunTopics(brokers.split(','), [
        `${names.prefix}-`,
        `e2e_${names.runId}-`,
        `${agentSlug(names.agentName)}-`,
      ]).catch((error: unknown) => console.warn(`e2e ${names.runId}: topics not deleted: ${String(error)}`));
    // The run's principals (each core service's, every agent's its admin issued) and every ACL they hold.
    await access
      .remove()
      .catch((error: unknown) =>
        console.warn(`e2e ${names.runId}: principals not removed: ${String(error)}`),
      );
    await mediaBucket
      ?.drop()
      .catch((error: unknown) => console.warn(`e2e ${names.runId}: bucket not dropped: ${String(error)}`));
    // The shared Redis keeps nothing of this run either (a private one goes away with its process).
    if (!options.redisUrl)
      await wipeKeys(stack.REDIS_URL, `${names.prefix}:`).catch((error: unknown) =>
        console.warn(`e2e ${names.runId}: Redis keys not deleted: ${String(error)}`),
      );
    // The agent backends' database of this run (operators, sessions, conversations, notes…) on the shared Mongo.
    if (agentCount > 0)
      await dropTestState({ mongoDatabases: [`e2e_${names.runId}`] }).catch((error: unknown) =>
        console.warn(`e2e ${names.runId}: Mongo database not dropped: ${String(error)}`),
      );
  };
  try {
    const webhookUrls = webhookPorts.map((port) => `http://127.0.0.1:${port}`);
    const webhookProxy = webhookCount > 1 ? await startProxy(webhookUrls) : undefined;
    if (webhookProxy) proxies.push(webhookProxy);
    const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
    const graphMeter = options.meterGraph ? await startProxy([simulatorUrl]) : undefined;
    if (graphMeter) proxies.push(graphMeter);
    // Admin, simulator and webhooks need nothing of each other: they start together.
    const [admin, simulator, ...webhooks] = (await all([
      launch('admin', {
        ...common,
        PORT: String(adminPort),
        ...adminEnv(names, stack.TEST_DATABASE_URL),
        ...access.envOf('admin'),
        KAFKA_ROUTER_USERNAME: access.usernames.router,
        KAFKA_MEDIA_USERNAME: access.usernames.media,
        KAFKA_NOTIFY_USERNAME: access.usernames.notify,
        // Every agent principal the run's admin makes (the seeded Agent A's rights, the run's agents) is the run's.
        KAFKA_AGENT_USERNAME_PREFIX: access.agentUsernamePrefix,
        // The admin reads templates from the simulator's Graph API (through the meter when there is one).
        GRAPH_API_BASE_URL: graphMeter?.url ?? simulatorUrl,
        ...options.adminEnv,
      }),
      launch('wa-simulator', {
        PORT: String(simulatorPort),
        ...simulatorEnv(`${webhookProxy?.url ?? webhookUrls[0]}/webhook`),
        ...options.simulatorEnv,
      }),
      ...webhookPorts.map((port) =>
        launch('webhook', {
          ...common,
          PORT: String(port),
          ...webhookEnv(names),
          ...access.envOf('webhook'),
          ...options.webhookEnv,
        }),
      ),
    ])) as [RunningService, RunningService, ...RunningService[]];
    const agentCredential = await createAgent(admin.url, names);
    const graphUrl = graphMeter?.url ?? simulatorUrl;
    const routerBase = {
      ...routerEnv(names, options.redisUrl ?? stack.REDIS_URL, graphUrl),
      ...access.envOf('router'),
    };
    // One router first: it creates the topics, so a second one never races it to create them.
    const routers: RunningService[] = [];
    const launchRouters = async () => {
      for (const port of routerPorts)
        routers.push(
          await launch('router', { ...common, PORT: String(port), ...routerBase, ...options.routerEnv }),
        );
    };
    const media = mediaBucket
      ? await launch('media', {
          ...common,
          PORT: String(await freePort()),
          ...mediaEnv(names, mediaBucket, graphUrl),
          ...access.envOf('media'),
          ...options.mediaEnv,
        })
      : undefined;
    const launchAgent = (port: number, index: number) =>
      launch('agent-backend', {
        ...common,
        PORT: String(port),
        ...agentBackendEnv(names, stack.MONGO_URL),
        KAFKA_USERNAME: agentCredential.username,
        KAFKA_PASSWORD: agentCredential.password,
        // Each instance its own push group (every instance pushes every event to its operators).
        ...(index > 0 ? { INSTANCE_ID: `e2e-${index + 1}` } : {}),
        ...(media ? { MEDIA_URL: media.url, MEDIA_TOKEN: agentMediaTokenOf(names) } : {}),
        ...(options.operatorUiDir ? { STATIC_DIR: options.operatorUiDir } : {}),
      });
    // The first instance creates the agent's topics and seeds the admin; the others start after it.
    const launchAgents = async () => {
      const [first, ...others] = agentPorts;
      if (first === undefined) return [];
      const firstAgent = await launchAgent(first, 0);
      return [firstAgent, ...(await all(others.map((port, i) => launchAgent(port, i + 1))))];
    };
    const [, agents] = (await all<unknown>([launchRouters(), launchAgents()])) as [unknown, RunningService[]];
    const notify = options.notify
      ? await launch('notify', {
          ...common,
          PORT: String(await freePort()),
          ...notifyEnv(names, stack.TEST_DATABASE_URL, options.redisUrl ?? stack.REDIS_URL),
          ...access.envOf('notify'),
        })
      : undefined;
    const system: System = {
      ...names,
      notify,
      media,
      ...(mediaBucket ? { mediaBucket } : {}),
      mediaToken: agentMediaTokenOf(names),
      notifyKey: `e2e-notify-key-${names.runId}-0123456789`,
      kafkaBrokers: brokers.split(','),
      kafkaCredentials: {
        ...(Object.fromEntries(
          coreServices.map((service) => {
            const { KAFKA_USERNAME: username, KAFKA_PASSWORD: password } = access.envOf(service);
            return [service, { username, password }];
          }),
        ) as Record<CoreService, { username: string; password: string }>),
        agent: { username: agentCredential.username, password: agentCredential.password },
      },
      webhook: webhooks[0] as RunningService,
      router: routers[0] as RunningService,
      webhooks,
      routers,
      admin,
      agent: agents[0] as RunningService,
      agents,
      simulator,
      webhookProxy,
      graphMeter,
      appSecret: secrets.appSecret,
      graphToken: secrets.graphToken,
      kill: (service) => service.kill(),
      relaunch: async (old) => {
        await old.kill();
        // A second relaunch of a service whose first relaunch failed: it is already off the list.
        if (started.includes(old)) {
          dead.push(old);
          started.splice(started.indexOf(old), 1);
        }
        const service = await launch(old.name, old.env);
        for (const list of [system.webhooks, system.routers, system.agents])
          if (list.includes(old)) list.splice(list.indexOf(old), 1, service);
        if (system.agent === old) system.agent = service;
        if (system.media === old) system.media = service;
        system.webhook = system.webhooks[0] as RunningService;
        system.router = system.routers[0] as RunningService;
        return service;
      },
      stop: stopAll,
      logs: () =>
        started.map((service) => `--- ${service.name} ---\n${service.logs.slice(-40).join('\n')}`).join('\n'),
      allLogs: () => [...dead, ...started].flatMap((service) => service.logs),
    };
    return system;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Promise.all that waits for every launch: none is left starting unseen when another fails. */
async function all<T>(launches: Promise<T>[]): Promise<T[]> {
  const outcomes = await Promise.allSettled(launches);
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
}
