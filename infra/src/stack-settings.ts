import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the stack's servers listen and keep their data; every value can be overridden by the environment. */
export interface StackSettings {
  repoRoot: string;
  /** Git-ignored folder with jars, data, logs and pid files. */
  stackDir: string;
  kafkaHost: string;
  /** 1: a single node; 3 (or more): a KRaft cluster, replication factor 3, min.insync.replicas 2. */
  kafkaBrokers: number;
  kafkaPort: number;
  kafkaControllerPort: number;
  kafkaHeap: string;
  /**
   * STACK_KAFKA_JVM: `test` (default) starts fast and stays small (C1 only, serial GC), right for test runs that
   * start a broker often; `bench` is Kafka's own production JVM (full JIT, G1, heap fixed at STACK_KAFKA_HEAP),
   * so a benchmark measures the broker as deployed rather than its start-up configuration.
   */
  kafkaJvm: KafkaJvmProfile;
  /**
   * The cluster's super user (SASL/SCRAM-SHA-512 on the client listener, PLAIN between controllers): the stack,
   * tests and provisioning use it; services each have their own principal (README "Kafka access").
   */
  kafkaAdminUser: string;
  kafkaAdminPassword: string;
  /** STACK_KAFKA_TLS=true: the client listener is SASL_SSL with a self-signed certificate (`.stack/kafka-tls/`). */
  kafkaTls: boolean;
  mongoHost: string;
  mongoPort: number;
  /** Server-level URL, no database: each service appends its own. */
  postgresUrl: string;
  redisUrl: string;
  /** Databases the stack creates on the PostgreSQL server. */
  databases: readonly string[];
  /** S3Proxy (filesystem backend): where it listens, its one key pair, and the bucket `up` creates. */
  s3Host: string;
  s3Port: number;
  s3Region: string;
  s3AccessKeyId: string;
  s3SecretAccessKey: string;
  s3Bucket: string;
}

export const kafkaJvmProfiles = ['test', 'bench'] as const;
export type KafkaJvmProfile = (typeof kafkaJvmProfiles)[number];

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export function stackSettings(env: Record<string, string | undefined> = process.env): StackSettings {
  return {
    repoRoot,
    stackDir: resolve(repoRoot, env.STACK_DIR ?? '.stack'),
    kafkaHost: env.STACK_KAFKA_HOST ?? '127.0.0.1',
    kafkaBrokers: Number(env.STACK_KAFKA_BROKERS ?? 1),
    kafkaPort: Number(env.STACK_KAFKA_PORT ?? 19092),
    kafkaControllerPort: Number(env.STACK_KAFKA_CONTROLLER_PORT ?? 19093),
    kafkaHeap: env.STACK_KAFKA_HEAP ?? '768m',
    kafkaJvm: kafkaJvmProfile(env.STACK_KAFKA_JVM),
    kafkaAdminUser: env.STACK_KAFKA_ADMIN_USER ?? 'admin',
    kafkaAdminPassword: env.STACK_KAFKA_ADMIN_PASSWORD ?? 'wa-broker-kafka-admin-local',
    kafkaTls: ['1', 'true', 'yes'].includes((env.STACK_KAFKA_TLS ?? '').toLowerCase()),
    mongoHost: env.STACK_MONGO_HOST ?? '127.0.0.1',
    mongoPort: Number(env.STACK_MONGO_PORT ?? 27018),
    postgresUrl: env.STACK_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.STACK_REDIS_URL ?? 'redis://127.0.0.1:6379',
    databases: (env.STACK_DATABASES ?? 'wa_broker,wa_broker_test').split(',').filter(Boolean),
    s3Host: env.STACK_S3_HOST ?? '127.0.0.1',
    s3Port: Number(env.STACK_S3_PORT ?? 19000),
    s3Region: env.STACK_S3_REGION ?? 'us-east-1',
    s3AccessKeyId: env.STACK_S3_ACCESS_KEY_ID ?? 'wa-broker',
    s3SecretAccessKey: env.STACK_S3_SECRET_ACCESS_KEY ?? 'wa-broker-local-secret',
    s3Bucket: env.STACK_S3_BUCKET ?? 'wa-broker-media',
  };
}

function kafkaJvmProfile(value: string | undefined): KafkaJvmProfile {
  const profile = value || 'test';
  // A typo would otherwise benchmark the test JVM without a word.
  if (!(kafkaJvmProfiles as readonly string[]).includes(profile))
    throw new Error(`STACK_KAFKA_JVM=${profile}: expected one of ${kafkaJvmProfiles.join(', ')}`);
  return profile as KafkaJvmProfile;
}

/** How to reach the stack's S3 server: an S3 client's settings, and the development bucket `up` creates. */
export interface StackS3 {
  /** `http://127.0.0.1:19000`; buckets are addressed by path (`<endpoint>/<bucket>/<key>`), never by host. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: true;
  /** `wa-broker-media`, created by `pnpm stack up` when missing. */
  bucket: string;
}

/** The one definition of the local S3 settings: services' dev config and tests read it from here. */
export function stackS3(settings: StackSettings = stackSettings()): StackS3 {
  return {
    endpoint: `http://${settings.s3Host}:${settings.s3Port}`,
    region: settings.s3Region,
    accessKeyId: settings.s3AccessKeyId,
    secretAccessKey: settings.s3SecretAccessKey,
    forcePathStyle: true,
    bucket: settings.s3Bucket,
  };
}

/** The connection settings a service or test needs, in the variable names every service reads. */
export function stackEnv(settings: StackSettings): Record<string, string> {
  const pg = new URL(settings.postgresUrl);
  const database = (name: string) => {
    const url = new URL(pg);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const brokers = Array.from(
    { length: settings.kafkaBrokers },
    (_, index) => `${settings.kafkaHost}:${settings.kafkaPort + 2 * index}`,
  );
  return {
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_REPLICATION_FACTOR: String(Math.min(3, settings.kafkaBrokers)),
    KAFKA_USERNAME: settings.kafkaAdminUser,
    KAFKA_PASSWORD: settings.kafkaAdminPassword,
    ...(settings.kafkaTls ? { KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: stackKafkaCaFile(settings) } : {}),
    DATABASE_URL: database(settings.databases[0] ?? 'wa_broker'),
    TEST_DATABASE_URL: database(settings.databases[1] ?? 'wa_broker_test'),
    REDIS_URL: settings.redisUrl,
    MONGO_URL: `mongodb://${settings.mongoHost}:${settings.mongoPort}/wa_agent`,
  };
}

/** The PEM file clients trust when the stack's Kafka uses TLS (written by the Kafka service at `up`). */
export function stackKafkaCaFile(settings: StackSettings): string {
  return join(settings.stackDir, 'kafka-tls', 'ca.pem');
}

/** kafkajs' `sasl` and `ssl` options for the stack's super user (TLS when STACK_KAFKA_TLS is on). */
export function stackKafkaSecurity(settings: StackSettings = stackSettings()): {
  sasl: ReturnType<typeof stackKafkaSasl>;
  ssl?: { ca: string[] };
} {
  return {
    sasl: stackKafkaSasl(settings),
    ...(settings.kafkaTls ? { ssl: { ca: [readFileSync(stackKafkaCaFile(settings), 'utf8')] } } : {}),
  };
}

/** kafkajs' `sasl` option for the stack's super user (infra's own clients: probes, topic cleanup, provisioning). */
export function stackKafkaSasl(settings: StackSettings = stackSettings()): {
  mechanism: 'scram-sha-512';
  username: string;
  password: string;
} {
  return {
    mechanism: 'scram-sha-512',
    username: settings.kafkaAdminUser,
    password: settings.kafkaAdminPassword,
  };
}
