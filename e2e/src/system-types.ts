import type { RunningService } from '@wa-broker/infra/launch';
import type { TestBucket } from '@wa-broker/infra/test-s3';
import type { CoreService } from '@wa-broker/shared/kafka-access';
import type { HttpProxy } from './proxy.js';
import type { SystemNames } from './system-env.js';

/** The whole broker, each service its own process, on names no other test run uses. */
export interface System extends SystemNames {
  kafkaBrokers: string[];
  /** Each core service's own Kafka principal in this run, and the credential the admin issued the run's agent. */
  kafkaCredentials: Record<CoreService | 'agent', { username: string; password: string }>;
  /** The first webhook and router; `webhooks` / `routers` hold every instance. */
  webhook: RunningService;
  router: RunningService;
  webhooks: RunningService[];
  routers: RunningService[];
  admin: RunningService;
  /** The first agent backend; absent when started with `agentBackend: false`. */
  agent: RunningService;
  /** Every agent-backend instance (`agentBackends`), one database and one set of topics. */
  agents: RunningService[];
  simulator: RunningService;
  /** services/notify, when started with `notify: true`; its bearer key is `notifyKey`. */
  notify?: RunningService;
  /** services/media, when started with `media: true`, on this run's bucket; the agent backend uses it too. */
  media?: RunningService;
  mediaBucket?: TestBucket;
  /** The e2e agent's media credential. */
  mediaToken: string;
  notifyKey: string;
  /** In front of the webhooks when there is more than one (a load balancer). */
  webhookProxy?: HttpProxy;
  /** In front of the simulator's Graph API when `meterGraph` is set: every router send, timestamped. */
  graphMeter?: HttpProxy;
  appSecret: string;
  graphToken: string;
  /** kill -9 a service, or start a killed one again with the same environment (and port). */
  kill(service: RunningService): Promise<void>;
  relaunch(service: RunningService): Promise<RunningService>;
  stop(): Promise<void>;
  logs(): string;
  /** Every line every process printed so far, for the secret grep. */
  allLogs(): string[];
}

export interface SystemOptions {
  /** Another Kafka (a private cluster or node); default: the shared stack. */
  kafkaBrokers?: string;
  replicationFactor?: number;
  redisUrl?: string;
  routers?: number;
  webhooks?: number;
  agentBackend?: boolean;
  /**
   * Agent-backend instances (default 1), each with its own port and INSTANCE_ID (its push group) on the same
   * database, topics and store group: several instances behind one inbox.
   */
  agentBackends?: number;
  meterGraph?: boolean;
  logLevel?: string;
  /** The built operator UI, served by the agent backend (`STATIC_DIR`). */
  operatorUiDir?: string;
  routerEnv?: Record<string, string>;
  webhookEnv?: Record<string, string>;
  simulatorEnv?: Record<string, string>;
  adminEnv?: Record<string, string>;
  /** Also start services/notify (the Notifications API) on this run's topics, schema and Redis prefix. */
  notify?: boolean;
  /** Also start services/media on a bucket of this run, and give the agent backend its credential. */
  media?: boolean;
  mediaEnv?: Record<string, string>;
}
